import { setTimeout as delay } from 'node:timers/promises';
import type { RandomSource } from '@esimlab/domain';
import type { Toxic, ToxicAttributes } from '../toxic.ts';

/** Bytes read from one side, with the time (performance.now) they may leave. */
export interface Chunk {
  readonly data: Buffer;
  readonly at: number;
}

export type Emit = (chunk: Chunk) => Promise<void>;

/** What a toxic may do to its connection, besides passing data on. */
export interface StageContext {
  readonly random: RandomSource;
  /** Aborted when the connection is gone; every wait listens to it. */
  readonly signal: AbortSignal;
  /** Flushes what was written, then closes both sides (FIN). */
  close(): void;
  /** Drops both sides with a TCP RST. */
  reset(): void;
  /** Bytes a `limit_data` toxic let through in this direction, kept across its updates. */
  readonly transmitted: Map<string, number>;
}

/** One toxic acting on one direction of one connection. */
export interface ToxicStage {
  pass(chunk: Chunk, emit: Emit): Promise<void>;
  /** The sending side closed; resolves when the close may travel on. */
  end?(): Promise<void>;
  /** `removed`: the toxic was deleted; `replaced`: updated; `ended`: the connection is gone. */
  dispose?(why: 'removed' | 'replaced' | 'ended'): void;
}

export function createToxicStage(toxic: Toxic, context: StageContext): ToxicStage {
  switch (toxic.type) {
    case 'latency':
      return latencyStage(toxic.attributes, context);
    case 'bandwidth':
      return bandwidthStage(toxic.attributes, context);
    case 'slow_close':
      return slowCloseStage(toxic.attributes, context);
    case 'timeout':
      return timeoutStage(toxic.attributes, context);
    case 'reset_peer':
      return resetPeerStage(toxic.attributes, context);
    case 'slicer':
      return slicerStage(toxic.attributes, context);
    case 'limit_data':
      return limitDataStage(toxic.name, toxic.attributes, context);
  }
}

// Timers run on the event loop's cached millisecond clock and may fire a fraction of a
// millisecond early by performance.now(); a toxic's delay is a floor, so wait out the rest.
async function waitUntil(at: number, signal: AbortSignal): Promise<void> {
  for (let ms = at - performance.now(); ms > 0; ms = at - performance.now()) {
    await delay(Math.ceil(ms), undefined, { signal });
  }
}

async function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
}

/** A uniform integer in [-spread, spread). */
function spreadOf(random: RandomSource, spread: number): number {
  return spread > 0 ? Math.floor(random.next() * 2 * spread) - spread : 0;
}

// Each chunk leaves `latency` ± `jitter` after it arrived, not after the previous one left,
// so a body read in many chunks is delayed once, as on a long link; chained latency toxics add.
function latencyStage(a: ToxicAttributes['latency'], context: StageContext): ToxicStage {
  return {
    async pass(chunk, emit) {
      const at = chunk.at + Math.max(0, a.latency + spreadOf(context.random, a.jitter));
      await waitUntil(at, context.signal);
      await emit({ data: chunk.data, at });
    },
  };
}

function bandwidthStage(a: ToxicAttributes['bandwidth'], context: StageContext): ToxicStage {
  let freeAt = 0;
  // KB/s is bytes per ms; writes of at most 100 ms worth keep the stream smooth.
  const piece = Math.max(1, a.rate * 100);
  return {
    async pass(chunk, emit) {
      if (a.rate === 0) return emit(chunk);
      for (let offset = 0; offset < chunk.data.length; offset += piece) {
        const data = chunk.data.subarray(offset, offset + piece);
        freeAt = Math.max(freeAt, performance.now()) + data.length / a.rate;
        await waitUntil(freeAt, context.signal);
        await emit({ data, at: chunk.at });
      }
    },
  };
}

function slowCloseStage(a: ToxicAttributes['slow_close'], context: StageContext): ToxicStage {
  return {
    pass: (chunk, emit) => emit(chunk),
    end: () => waitUntil(performance.now() + a.delay, context.signal),
  };
}

// Toxiproxy restarts the countdown whenever data arrives (and is dropped), and closes the
// connection when the toxic is removed: the dropped bytes have left the stream corrupt.
// The sender's close is held too (Toxiproxy passes it on), so the client hears nothing at
// all until the timeout, even from a server that closes after answering.
function timeoutStage(a: ToxicAttributes['timeout'], context: StageContext): ToxicStage {
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    if (a.timeout > 0) timer = setTimeout(() => context.close(), a.timeout);
  };
  arm();
  return {
    async pass() {
      arm();
    },
    end: () => untilAborted(context.signal),
    dispose(why) {
      clearTimeout(timer);
      if (why === 'removed') context.close();
    },
  };
}

function resetPeerStage(a: ToxicAttributes['reset_peer'], context: StageContext): ToxicStage {
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    timer ??= setTimeout(() => context.reset(), a.timeout);
  };
  return {
    // The first data (or the close) starts the countdown; data never gets through.
    async pass() {
      arm();
    },
    async end() {
      arm();
      await untilAborted(context.signal);
    },
    dispose() {
      clearTimeout(timer);
    },
  };
}

function slicerStage(a: ToxicAttributes['slicer'], context: StageContext): ToxicStage {
  return {
    async pass(chunk, emit) {
      let offset = 0;
      while (offset < chunk.data.length) {
        const size = Math.max(1, a.average_size + spreadOf(context.random, a.size_variation));
        await emit({ data: chunk.data.subarray(offset, offset + size), at: chunk.at });
        offset += size;
        // Microseconds, as in Toxiproxy; timers here have 1 ms resolution.
        if (offset < chunk.data.length && a.delay > 0) {
          await delay(a.delay / 1000, undefined, { signal: context.signal });
        }
      }
    },
  };
}

function limitDataStage(
  name: string,
  a: ToxicAttributes['limit_data'],
  context: StageContext,
): ToxicStage {
  return {
    async pass(chunk, emit) {
      const sent = context.transmitted.get(name) ?? 0;
      const allowed = Math.max(0, a.bytes - sent);
      const data = chunk.data.length > allowed ? chunk.data.subarray(0, allowed) : chunk.data;
      if (data.length > 0) {
        context.transmitted.set(name, sent + data.length);
        await emit({ data, at: chunk.at });
      }
      if (sent + data.length >= a.bytes) context.close();
    },
  };
}
