import { localParts, parseTimeZone, type TimeZone, type Weekday } from '@esimlab/domain';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Milliseconds in an ISO 8601 duration of weeks, days, hours, minutes and seconds (validated by the schema). */
export function durationMs(duration: string): number {
  const match = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
    duration,
  );
  if (!match) throw new Error(`"${duration}" is not an ISO 8601 duration such as P1D`);
  const [, w = '0', d = '0', h = '0', m = '0', s = '0'] = match;
  return Math.round(
    ((Number(w) * 7 + Number(d)) * 24 * 60 * 60 + Number(h) * 3600 + Number(m) * 60 + Number(s)) *
      1000,
  );
}

export function timeZoneOf(name: string): TimeZone {
  const parsed = parseTimeZone(name, 'timeZone');
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

/** The zone's offset from UTC at an instant, in minutes (New York in winter: -300). */
function offsetMinutes(at: number, zone: TimeZone): number {
  const p = localParts(at, zone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((wall - Math.floor(at / 1000) * 1000) / MINUTE_MS);
}

/**
 * The first whole minute after `from` when the zone's wall clock shows `weekday` (if given)
 * at `time` (if given, else midnight). Searches eight days, so a match always exists.
 */
export function nextLocalTime(
  from: number,
  zone: TimeZone,
  want: { weekday?: Weekday; hour: number; minute: number },
): number {
  const start = Math.floor(from / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  for (let at = start; at < start + 8 * 24 * HOUR_MS; at += MINUTE_MS) {
    const p = localParts(at, zone);
    if (
      p.hour === want.hour &&
      p.minute === want.minute &&
      (want.weekday === undefined || p.weekday === want.weekday)
    ) {
      return at;
    }
  }
  throw new Error('no such local time in the next eight days (it falls in a DST gap every time)');
}

/**
 * The instant of the zone's next daylight saving change after `from`: `start` moves the
 * clocks forward, `end` back. Found hour by hour, then narrowed to the minute.
 */
export function nextDstChange(from: number, zone: TimeZone, change: 'start' | 'end'): number {
  let before = offsetMinutes(from, zone);
  for (let at = from + HOUR_MS; at < from + 400 * 24 * HOUR_MS; at += HOUR_MS) {
    const after = offsetMinutes(at, zone);
    if (after !== before) {
      if (after > before === (change === 'start')) {
        let low = at - HOUR_MS;
        let high = at;
        while (high - low > MINUTE_MS) {
          const mid = low + Math.floor((high - low) / 2 / MINUTE_MS) * MINUTE_MS;
          if (offsetMinutes(mid, zone) === before) low = mid;
          else high = mid;
        }
        return high;
      }
      before = after;
    }
  }
  throw new Error(`${zone} has no daylight saving ${change} in the next year`);
}
