import { DAY_MS, type EpochMillis, HOUR_MS, MINUTE_MS, SECOND_MS } from '../instant.ts';

/** What a wall clock in some zone shows at an instant, to the second. */
export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

// Building a DateTimeFormat costs far more than formatting with one, so keep one per zone.
// The bound only matters if callers pass many spellings of zones; clearing is enough then.
const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_CACHED_FORMATTERS = 512;

export function wallClockFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      // h23, not hour12: false: the latter prints midnight as 24 in some ICU versions.
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (formatters.size >= MAX_CACHED_FORMATTERS) formatters.clear();
    formatters.set(zone, formatter);
  }
  return formatter;
}

// `format` is several times faster than `formatToParts`, and en-US with these options prints
// `3/7/2026 AD, 00:30:00`; should another ICU print otherwise, the parts are read instead.
// The era keeps years before 1 CE right: 1 BC is year 0, as in `Date`.
const EN_US_WALL_CLOCK = /^(\d+)\/(\d+)\/(\d+) (AD|BC), (\d+):(\d+):(\d+)$/;

// Recent readings per zone, by whole second. A purchase reads its carrier's clock several
// times (its promotions now, its validity's end days ahead, the offsets around that end), and
// the next purchase in the same second reads the same instants again: formatting is the
// costly part. A few seconds' worth per zone is kept; then the zone's readings start over.
const recentReadings = new Map<string, Map<number, WallClock>>();
const MAX_READINGS_PER_ZONE = 32;

export function readWallClock(at: EpochMillis, zone: string): WallClock {
  // The reading is to the second, and formatting floors an instant to its second.
  const second = Math.floor(at / SECOND_MS);
  let readings = recentReadings.get(zone);
  const known = readings?.get(second);
  if (known !== undefined) return known;
  const clock = Object.freeze(formatWallClock(at, zone));
  if (readings === undefined) {
    if (recentReadings.size >= MAX_CACHED_FORMATTERS) recentReadings.clear();
    readings = new Map();
    recentReadings.set(zone, readings);
  } else if (readings.size >= MAX_READINGS_PER_ZONE) {
    readings.clear();
  }
  readings.set(second, clock);
  return clock;
}

function formatWallClock(at: EpochMillis, zone: string): WallClock {
  const formatter = wallClockFormatter(zone);
  const match = EN_US_WALL_CLOCK.exec(formatter.format(at));
  if (match === null) return readWallClockParts(formatter, at);
  return {
    year: yearOf(Number(match[3]), match[4]),
    month: Number(match[1]),
    day: Number(match[2]),
    hour: Number(match[5]),
    minute: Number(match[6]),
    second: Number(match[7]),
  };
}

/** The slow path of `readWallClock`, exported for its test. */
export function readWallClockParts(formatter: Intl.DateTimeFormat, at: EpochMillis): WallClock {
  const parts = new Map(formatter.formatToParts(at).map((part) => [part.type, part.value]));
  const field = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.get(type));
  return {
    year: yearOf(field('year'), parts.get('era')),
    month: field('month'),
    day: field('day'),
    hour: field('hour'),
    minute: field('minute'),
    second: field('second'),
  };
}

const yearOf = (yearOfEra: number, era: string | undefined): number =>
  era === 'BC' ? 1 - yearOfEra : yearOfEra;

/** Days since 1970-01-01 of a proleptic Gregorian calendar date (no clock, no zone). */
export function epochDayOf(year: number, month: number, day: number): number {
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  return Math.round(new Date(0).setUTCFullYear(year, month - 1, day) / DAY_MS);
}

export function calendarDateOfEpochDay(epochDay: number): {
  year: number;
  month: number;
  day: number;
} {
  const date = new Date(epochDay * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** The wall clock reading as if it were UTC, in milliseconds: the basis of offset arithmetic. */
export function wallClockAsUtc(clock: WallClock): number {
  return (
    epochDayOf(clock.year, clock.month, clock.day) * DAY_MS +
    clock.hour * HOUR_MS +
    clock.minute * MINUTE_MS +
    clock.second * SECOND_MS
  );
}

/** The zone's UTC offset at an instant (local = UTC + offset), in milliseconds. */
export function utcOffsetAt(at: EpochMillis, zone: string): number {
  const wholeSecond = Math.floor(at / SECOND_MS) * SECOND_MS;
  return wallClockAsUtc(readWallClock(at, zone)) - wholeSecond;
}
