import { z } from 'zod';

/**
 * Toxiproxy's toxics, with its attribute names and units, so its clients drive esimlab
 * unchanged. A toxic acts on one direction of every connection through its proxy:
 * `downstream` is server → client (the default), `upstream` is client → server.
 */
export const toxicTypes = [
  'latency',
  'bandwidth',
  'slow_close',
  'timeout',
  'reset_peer',
  'slicer',
  'limit_data',
] as const;

export type ToxicType = (typeof toxicTypes)[number];

export const toxicStreams = ['upstream', 'downstream'] as const;

export type ToxicStream = (typeof toxicStreams)[number];

// setTimeout's ceiling (about 24.8 days); a longer wait would fire at once.
const milliseconds = z.number().int().min(0).max(2_147_483_647);
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * Each type with its attributes. Toxiproxy reads a missing attribute as 0, and so does this,
 * except where 0 would be meaningless (`slicer.average_size`). Unknown attribute names are
 * refused, so a typo cannot silently turn a toxic into a no-op.
 */
export const toxicAttributeSchemas = {
  /** Delays every chunk by `latency` ± `jitter` ms. */
  latency: z.strictObject({ latency: milliseconds.default(0), jitter: milliseconds.default(0) }),
  /** Caps the rate at `rate` KB/s (1 KB = 1,000 bytes); 0 means no cap. */
  bandwidth: z.strictObject({ rate: count.default(0) }),
  /** Holds the close for `delay` ms after the sending side closed. */
  slow_close: z.strictObject({ delay: milliseconds.default(0) }),
  /** Drops all data and closes the connection after `timeout` ms without data; 0 never closes. */
  timeout: z.strictObject({ timeout: milliseconds.default(0) }),
  /** Resets (TCP RST) the connection `timeout` ms after the first data; that data is dropped. */
  reset_peer: z.strictObject({ timeout: milliseconds.default(0) }),
  /** Cuts chunks into `average_size` ± `size_variation` bytes, `delay` µs apart. */
  slicer: z
    .strictObject({
      average_size: z.number().int().min(1, 'average_size is at least 1 byte').max(1_000_000_000),
      size_variation: count.default(0),
      delay: z.number().int().min(0).max(2_147_483_647_000).default(0),
    })
    .refine((a) => a.size_variation < a.average_size, {
      message: 'size_variation must be smaller than average_size',
      path: ['size_variation'],
    }),
  /** Closes the connection once `bytes` bytes went through in this direction. */
  limit_data: z.strictObject({ bytes: count.default(0) }),
} as const;

export type ToxicAttributes = {
  [K in ToxicType]: z.output<(typeof toxicAttributeSchemas)[K]>;
};

/** One toxic as the Toxiproxy API shows it. Immutable: an update makes a new one. */
export type Toxic = {
  [K in ToxicType]: {
    readonly name: string;
    readonly type: K;
    readonly stream: ToxicStream;
    /** The probability, drawn once per connection, that the toxic acts on that connection. */
    readonly toxicity: number;
    readonly attributes: Readonly<ToxicAttributes[K]>;
  };
}[ToxicType];

export function isToxicType(type: string): type is ToxicType {
  return (toxicTypes as readonly string[]).includes(type);
}
