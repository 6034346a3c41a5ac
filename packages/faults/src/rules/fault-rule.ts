import { z } from 'zod';
import { isValidGlob } from './path-glob.ts';

/** Saga crash points a `crash` rule may name (see the carrier's payment saga). */
export const crashPointNames = [
  'after-authorize',
  'after-credit',
  'after-capture',
  'before-response',
] as const;

const positiveMs = z.number().int().min(0).max(600_000);

/** `latency`: a fixed delay, a uniform one, or a lognormal one (median and sigma, capped). */
const latencyParams = z.union(
  [
    z.strictObject({ ms: positiveMs }),
    z
      .strictObject({ min: positiveMs, max: positiveMs })
      .refine((p) => p.min <= p.max, { message: 'min must not exceed max', path: ['min'] }),
    z.strictObject({
      median: positiveMs.min(1),
      sigma: z.number().min(0).max(5),
      cap: positiveMs.min(1),
    }),
  ],
  { error: 'latency params are {ms}, {min, max} (uniform) or {median, sigma, cap} (lognormal)' },
);

const errorParams = z.strictObject({
  status: z.literal([500, 502, 503, 504, 429]),
  /** Seconds; 429 and 503 always carry Retry-After (default 1). */
  retryAfter: z.number().int().min(0).max(3600).optional(),
});

// Kinds without parameters may leave `params` out.
const emptyParams = z.strictObject({}).default({});

/** Match by matching: a device (its EID) or a region (a circle on the map). */
const deviceTarget = z.union([
  z.strictObject({ eid: z.string().regex(/^\d{32}$/, 'an EID is 32 digits') }),
  z.strictObject({
    region: z.strictObject({
      center: z.strictObject({
        lat: z.number().min(-90).max(90),
        lon: z.number().min(-180).max(180),
      }),
      radiusKm: z.number().positive().max(5000),
    }),
  }),
]);

/** Each kind with the shape of its `params`; the same table documents and validates. */
export const faultParamsSchemas = {
  latency: latencyParams,
  error: errorParams,
  timeout: emptyParams,
  'reset-before': emptyParams,
  'reset-after-commit': emptyParams,
  truncated: z.strictObject({ bytes: z.number().int().min(0).max(1_000_000) }),
  'slow-body': z.strictObject({ durationMs: positiveMs.min(1) }),
  crash: z.strictObject({ point: z.enum(crashPointNames) }),
  'webhook-duplicate': z.strictObject({ copies: z.number().int().min(1).max(10).optional() }),
  'webhook-delay': z.strictObject({ ms: positiveMs }),
  'webhook-reorder': z.strictObject({ windowMs: positiveMs.optional() }),
  'webhook-drop': emptyParams,
  // zod reports a key as unknown only when neither side of an intersection knows it.
  'coverage-gap': z.intersection(deviceTarget, z.strictObject({ durationMs: positiveMs.min(1) })),
  'weak-signal': z.intersection(deviceTarget, z.strictObject({ extraMs: positiveMs })),
} as const;

export type FaultParams = {
  [K in keyof typeof faultParamsSchemas]: z.infer<(typeof faultParamsSchemas)[K]>;
};

const matchSchema = z.strictObject({
  method: z
    .string()
    .regex(/^[A-Za-z]+$/, 'an HTTP method such as POST')
    .transform((m) => m.toUpperCase())
    .optional(),
  path: z
    .string()
    .min(1)
    .refine(isValidGlob, {
      message:
        'a path glob starting with / where * matches one segment and ** any number, e.g. /v1/esims/*/topups',
    })
    .optional(),
  /** A header that must be present, with this exact value if one is given. */
  header: z
    .strictObject({ name: z.string().min(1).max(100), value: z.string().max(1000).optional() })
    .optional(),
});

const common = {
  id: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, '1-64 letters, digits, _ . or -')
    .optional(),
  match: matchSchema.optional(),
  probability: z
    .number()
    .min(0, 'probability is between 0 and 1')
    .max(1, 'probability is between 0 and 1')
    .default(1),
  times: z.number().int().min(1).optional(),
  after: z.number().int().min(0).optional(),
};

/** One rule, discriminated on `kind`, so a wrong `params` shape names the kind's fields. */
export const faultRuleSchema = z.discriminatedUnion(
  'kind',
  (Object.keys(faultParamsSchemas) as (keyof typeof faultParamsSchemas)[]).map((kind) =>
    z.strictObject({ ...common, kind: z.literal(kind), params: faultParamsSchemas[kind] }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
);

/** A rule as written by a user: `id` and `probability` may be left out. */
export type FaultRuleInput = z.input<typeof faultRuleSchema>;

/** A validated rule with its id; `probability` defaults to 1. */
export type FaultRule = {
  [K in keyof FaultParams]: {
    readonly id: string;
    readonly match?: {
      readonly method?: string;
      readonly path?: string;
      readonly header?: { readonly name: string; readonly value?: string };
    };
    readonly probability: number;
    readonly times?: number;
    readonly after?: number;
    readonly kind: K;
    readonly params: FaultParams[K];
  };
}[keyof FaultParams];
