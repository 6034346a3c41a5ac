/**
 * Domain code never reads a clock: the current time is always a parameter, as epoch
 * milliseconds (UTC). Carriers inject their test clock; tests pass literals.
 */
export type EpochMillis = number;

export const SECOND_MS = 1_000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** ISO 8601 UTC with milliseconds, as the HTTP contract prints times. */
export const toIso = (at: EpochMillis): string => new Date(at).toISOString();
