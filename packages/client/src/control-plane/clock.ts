/** The carrier's clock: wall time plus an offset that only moves forward. */
export interface Clock {
  readonly now: string;
  /** How far the clock is ahead of wall time. */
  readonly offsetMs: number;
}

/** `POST /_sim/clock/advance`: an ISO 8601 duration (`P1D`, `PT12H`) or milliseconds. */
export type ClockAdvance = { readonly by: string } | { readonly ms: number };
