import {
  addLocalDays,
  type EpochMillis,
  localDateOf,
  startOfLocalDay,
  type TimeZone,
} from '@esimlab/domain';

/**
 * Days an auto-renewing eSIM whose renewal was declined stays in `grace`, retrying the
 * payment once a day, before its service is suspended.
 */
export const GRACE_DAYS = 3;

/** When the grace of a period that should have started at `periodStart` ends: its last retry. */
export function graceEndOf(periodStart: EpochMillis, zone: TimeZone): EpochMillis {
  return localMidnightAfter(periodStart, GRACE_DAYS, zone);
}

/**
 * The daily retry that follows an attempt made at `lastAttemptAt`, or null when the grace has
 * none left. Retries fall on the local midnights after the lapse, like the expiry itself, so
 * a retry made early (after a payment-method change) does not move the ones after it.
 */
export function nextRetryAt(
  periodStart: EpochMillis,
  lastAttemptAt: EpochMillis,
  zone: TimeZone,
): EpochMillis | null {
  for (let day = 1; day <= GRACE_DAYS; day++) {
    const retryAt = localMidnightAfter(periodStart, day, zone);
    if (retryAt > lastAttemptAt) return retryAt;
  }
  return null;
}

function localMidnightAfter(at: EpochMillis, days: number, zone: TimeZone): EpochMillis {
  return startOfLocalDay(addLocalDays(localDateOf(at, zone), days), zone);
}
