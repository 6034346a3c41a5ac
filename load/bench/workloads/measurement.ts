/** One benchmark run's figures, as bench.json records them (and a little more). */
export interface Measurement {
  readonly name: string;
  /** Requests answered per second of the measured window (retries included). */
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  readonly durationMs: number;
}

/** Milliseconds to two decimals, as the tables and bench.json show them. */
export const roundMs = (ms: number): number => Math.round(ms * 100) / 100;
