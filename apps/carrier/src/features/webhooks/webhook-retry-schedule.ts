import { HOUR_MS, MINUTE_MS } from '@esimlab/domain';

/**
 * Waits between a failed attempt and the next one, in simulated time: eight attempts over
 * about 45 hours, then the delivery is `failed` (it can still be resent by hand).
 */
export const WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [
  MINUTE_MS,
  5 * MINUTE_MS,
  30 * MINUTE_MS,
  2 * HOUR_MS,
  6 * HOUR_MS,
  12 * HOUR_MS,
  24 * HOUR_MS,
];

/**
 * When to try again after the `failuresInSeries`-th failed attempt in a row (1-based) made at
 * `attemptAt`, or null when the schedule is used up.
 */
export function nextRetryAt(attemptAt: number, failuresInSeries: number): number | null {
  const delay = WEBHOOK_RETRY_DELAYS_MS[failuresInSeries - 1];
  return delay === undefined ? null : attemptAt + delay;
}
