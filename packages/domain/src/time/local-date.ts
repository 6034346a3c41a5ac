import { err, ok, type Result } from '../result.ts';
import { DAY_MS, type EpochMillis } from './instant.ts';
import {
  calendarDateOfEpochDay,
  epochDayOf,
  readWallClock,
  utcOffsetAt,
} from './internal/wall-clock.ts';
import type { TimeZone } from './time-zone.ts';

/** A calendar date on a wall calendar, with no zone attached: month and day start at 1. */
export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** 0 is Sunday, as in `Date.prototype.getDay`. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** What a wall clock in a zone shows at an instant, to the second. */
export interface LocalParts extends LocalDate {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly weekday: Weekday;
}

export interface LocalDateError {
  readonly code: 'invalid_local_date';
  readonly field: string;
  readonly message: string;
}

/** The local wall-clock reading at an instant in a zone. */
export function localParts(at: EpochMillis, zone: TimeZone): LocalParts {
  const clock = readWallClock(at, zone);
  return { ...clock, weekday: weekdayOf(clock) };
}

/** The local calendar date at an instant in a zone. */
export function localDateOf(at: EpochMillis, zone: TimeZone): LocalDate {
  const { year, month, day } = readWallClock(at, zone);
  return { year, month, day };
}

/** The day of the week of a calendar date. */
export function weekdayOf(date: LocalDate): Weekday {
  // 1970-01-01 was a Thursday.
  return ((((epochDayOf(date.year, date.month, date.day) + 4) % 7) + 7) % 7) as Weekday;
}

/** The date `days` calendar days after `date` (before it when negative). */
export function addLocalDays(date: LocalDate, days: number): LocalDate {
  if (!Number.isSafeInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  return calendarDateOfEpochDay(epochDayOf(date.year, date.month, date.day) + days);
}

/** Negative, zero or positive as `a` is before, the same as, or after `b`. */
export function compareLocalDates(a: LocalDate, b: LocalDate): number {
  return epochDayOf(a.year, a.month, a.day) - epochDayOf(b.year, b.month, b.day);
}

/** `2026-03-08`. */
export function formatLocalDate(date: LocalDate): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

/** Parses `YYYY-MM-DD`, refusing dates the calendar does not have (2026-02-29). */
export function parseLocalDate(input: unknown, field: string): Result<LocalDate, LocalDateError> {
  const match = typeof input === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(input) : null;
  if (match === null) {
    return err({
      code: 'invalid_local_date',
      field,
      message: `${field} must be a date written YYYY-MM-DD, e.g. 2026-11-27`,
    });
  }
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  const roundTrip = calendarDateOfEpochDay(epochDayOf(date.year, date.month, date.day));
  if (compareFields(roundTrip, date) !== 0) {
    return err({
      code: 'invalid_local_date',
      field,
      message: `${field} \`${String(input)}\` is not a day of the calendar`,
    });
  }
  return ok(date);
}

function compareFields(a: LocalDate, b: LocalDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/**
 * The first instant of a local calendar day: local 00:00, or where a DST change skips
 * midnight (Chile, Cuba, Samoa in 2011) the instant the clocks jump into that day.
 */
export function startOfLocalDay(date: LocalDate, zone: TimeZone): EpochMillis {
  const target = epochDayOf(date.year, date.month, date.day);
  const midnightAsUtc = target * DAY_MS;
  // Local midnight is `midnightAsUtc - offset` for the offset in force then. Offsets are
  // within ±14 h, so one day either side lies before and after it: the offsets there are
  // the only two candidates, even when a DST change falls on this very day.
  const candidates = [
    midnightAsUtc - utcOffsetAt(midnightAsUtc - DAY_MS, zone),
    midnightAsUtc - utcOffsetAt(midnightAsUtc + DAY_MS, zone),
  ].sort((a, b) => a - b);
  const start = candidates.find((at) => localEpochDay(at, zone) >= target);
  if (start === undefined) {
    throw new Error(`no instant starts ${formatLocalDate(date)} in ${zone}`);
  }
  if (utcOffsetAt(start, zone) === midnightAsUtc - start) return start;
  return firstInstantOnOrAfter(target, start - DAY_MS, start, zone);
}

function localEpochDay(at: EpochMillis, zone: TimeZone): number {
  const { year, month, day } = readWallClock(at, zone);
  return epochDayOf(year, month, day);
}

// Midnight fell in a DST gap: binary-search the jump between an instant still on an
// earlier day (`before`) and one already on the target day (`onOrAfter`).
function firstInstantOnOrAfter(
  target: number,
  before: EpochMillis,
  onOrAfter: EpochMillis,
  zone: TimeZone,
): EpochMillis {
  if (localEpochDay(before, zone) >= target) return onOrAfter;
  let low = before;
  let high = onOrAfter;
  while (high - low > 1) {
    const middle = low + Math.floor((high - low) / 2);
    if (localEpochDay(middle, zone) >= target) high = middle;
    else low = middle;
  }
  return high;
}
