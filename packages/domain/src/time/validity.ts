import type { EpochMillis } from './instant.ts';
import { addLocalDays, localDateOf, startOfLocalDay } from './local-date.ts';
import type { TimeZone } from './time-zone.ts';

/**
 * When a validity of `validityDays` days that started at `startedAt` runs out: the start
 * day counts as day 1, and expiry is the local midnight that ends day N in `zone`. A
 * 7-day plan enabled 2026-03-07 10:00 in New York expires 2026-03-14 00:00 EDT.
 */
export function expiresAt(
  startedAt: EpochMillis,
  validityDays: number,
  zone: TimeZone,
): EpochMillis {
  if (!Number.isSafeInteger(validityDays) || validityDays < 1) {
    // Catalogs are validated at load, so a bad value here is a bug, not user input.
    throw new RangeError(`validityDays must be a positive integer, got ${validityDays}`);
  }
  return startOfLocalDay(addLocalDays(localDateOf(startedAt, zone), validityDays), zone);
}
