import {
  addLocalDays,
  HOUR_MS,
  localDateOf,
  startOfLocalDay,
  type TimeZone,
  weekdayOf,
} from '@esimlab/domain';

const WEDNESDAY = 3;
const START_HOUR = 6;

/**
 * When a run's clock starts: the first Wednesday 06:00 in the carrier's zone at or after
 * `notBefore`. Ten hours from there reach no midnight (no bucket expires, no day pass ends),
 * no weekend and no evening promotion, so the model's balances are plain sums.
 */
export function runWindowStart(zone: TimeZone, notBefore: number): number {
  let date = localDateOf(notBefore, zone);
  for (;;) {
    if (weekdayOf(date) === WEDNESDAY) {
      const start = startOfLocalDay(date, zone) + START_HOUR * HOUR_MS;
      if (start >= notBefore) return start;
    }
    date = addLocalDays(date, 1);
  }
}

/** The instant simulated runs start from (then moved to each carrier's Wednesday morning). */
export const SIMULATION_EPOCH = Date.parse('2026-03-03T00:00:00Z');
