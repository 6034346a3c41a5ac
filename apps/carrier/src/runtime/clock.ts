import type { EpochMillis } from '@esimlab/domain';

/** The carrier's notion of now. Everything time-dependent reads this, never `Date.now()`. */
export interface Clock {
  now(): EpochMillis;
}

/**
 * The carrier's test clock: wall time plus an offset that only moves forward
 * (`POST /_sim/clock/advance`). The wall source is injected so simulations can use a
 * virtual clock; the offset is persisted by the caller so a restart keeps it.
 */
export class TestClock implements Clock {
  #offsetMs: number;
  readonly #wall: () => EpochMillis;

  constructor(wall: () => EpochMillis, offsetMs = 0) {
    this.#wall = wall;
    this.#offsetMs = offsetMs;
  }

  now(): EpochMillis {
    return this.#wall() + this.#offsetMs;
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** Wall time without the offset: what leases and heartbeats shared between replicas use. */
  wallNow(): EpochMillis {
    return this.#wall();
  }

  /** Moves the clock forward by `ms` (a non-negative integer) and returns the new offset. */
  advance(ms: number): number {
    if (!Number.isSafeInteger(ms) || ms < 0)
      throw new RangeError(`the clock only moves forward; got ${ms} ms`);
    this.#offsetMs += ms;
    return this.#offsetMs;
  }

  /** Restores a persisted offset (at start-up). */
  restore(offsetMs: number): void {
    this.#offsetMs = offsetMs;
  }
}

export const systemWallClock = (): EpochMillis => Date.now();
