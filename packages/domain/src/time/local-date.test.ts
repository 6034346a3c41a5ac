import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { unwrap } from '../result.ts';
import { DAY_MS, toIso } from './instant.ts';
import {
  addLocalDays,
  compareLocalDates,
  formatLocalDate,
  type LocalDate,
  localDateOf,
  localParts,
  parseLocalDate,
  startOfLocalDay,
  weekdayOf,
} from './local-date.ts';
import { parseTimeZone, type TimeZone } from './time-zone.ts';

const zone = (name: string): TimeZone => unwrap(parseTimeZone(name, 'zone'));
const date = (iso: string): LocalDate => unwrap(parseLocalDate(iso, 'date'));
const allZones = Intl.supportedValuesOf('timeZone').map(zone);
const instants = fc.integer({ min: Date.UTC(1950, 0, 1), max: Date.UTC(2050, 0, 1) });
const dates = fc
  .integer({ min: -10_000, max: 60_000 })
  .map((epochDay) => localDateOf(epochDay * DAY_MS, zone('UTC')));

describe('localParts', () => {
  it('reads Saturday 00:30 in New York while Los Angeles is still on Friday evening', () => {
    const at = Date.parse('2026-03-07T05:30:00Z');
    expect(localParts(at, zone('America/New_York'))).toEqual({
      year: 2026,
      month: 3,
      day: 7,
      hour: 0,
      minute: 30,
      second: 0,
      weekday: 6,
    });
    expect(localParts(at, zone('America/Los_Angeles'))).toMatchObject({
      day: 6,
      hour: 21,
      weekday: 5,
    });
  });

  it('shows 01:30 twice on the fall-back day, an hour apart', () => {
    const ny = zone('America/New_York');
    const first = localParts(Date.parse('2026-11-01T05:30:00Z'), ny);
    const second = localParts(Date.parse('2026-11-01T06:30:00Z'), ny);
    expect([first.hour, first.minute]).toEqual([1, 30]);
    expect(second).toEqual(first);
  });

  it('reads midnight as hour 0, not 24', () => {
    expect(localParts(Date.parse('2026-01-01T05:00:00Z'), zone('America/New_York')).hour).toBe(0);
  });

  test.prop([fc.integer({ min: -8.64e15, max: 8.64e15 })])(
    'agrees with the UTC fields of Date in UTC, across the whole Date range',
    (at) => {
      const parts = localParts(at, zone('UTC'));
      const d = new Date(at);
      expect(parts).toEqual({
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
        hour: d.getUTCHours(),
        minute: d.getUTCMinutes(),
        second: d.getUTCSeconds(),
        weekday: d.getUTCDay(),
      });
    },
  );
});

describe('startOfLocalDay', () => {
  it('finds 00:00 EST on the spring-forward day and 00:00 EDT the day after', () => {
    const ny = zone('America/New_York');
    expect(toIso(startOfLocalDay(date('2026-03-08'), ny))).toBe('2026-03-08T05:00:00.000Z');
    expect(toIso(startOfLocalDay(date('2026-03-09'), ny))).toBe('2026-03-09T04:00:00.000Z');
  });

  it('finds 00:00 EDT on the fall-back day and 00:00 EST the day after', () => {
    const ny = zone('America/New_York');
    expect(toIso(startOfLocalDay(date('2026-11-01'), ny))).toBe('2026-11-01T04:00:00.000Z');
    expect(toIso(startOfLocalDay(date('2026-11-02'), ny))).toBe('2026-11-02T05:00:00.000Z');
  });

  it('finds 00:00 AEST on the day Sydney springs forward, east of UTC', () => {
    const sydney = zone('Australia/Sydney');
    expect(toIso(startOfLocalDay(date('2026-10-04'), sydney))).toBe('2026-10-03T14:00:00.000Z');
    expect(toIso(startOfLocalDay(date('2026-10-05'), sydney))).toBe('2026-10-04T13:00:00.000Z');
  });

  it('is the local midnight of every day of 2026-2027 in zones either side of UTC', () => {
    const zones = [
      'America/New_York',
      'America/Chicago',
      'America/Los_Angeles',
      'America/Phoenix',
      'Pacific/Honolulu',
      'Europe/London',
      'Australia/Sydney',
      'Australia/Lord_Howe',
      'Pacific/Auckland',
      'Pacific/Chatham',
      'Asia/Kathmandu',
    ].map(zone);
    const first = date('2026-01-01');
    for (const tz of zones) {
      for (let offset = 0; offset < 2 * 365; offset++) {
        const day = addLocalDays(first, offset);
        const start = startOfLocalDay(day, tz);
        const local = localParts(start, tz);
        const midnight = local.hour === 0 && local.minute === 0 && local.second === 0;
        if (
          !midnight ||
          compareLocalDates(local, day) !== 0 ||
          compareLocalDates(localDateOf(start - 1, tz), day) >= 0
        ) {
          expect.fail(
            `${formatLocalDate(day)} in ${tz} starts at ${toIso(start)}, local ${JSON.stringify(local)}`,
          );
        }
      }
    }
  });

  it('starts a day whose midnight DST skips at the jump, 01:00 local (Santiago)', () => {
    const santiago = zone('America/Santiago');
    const start = startOfLocalDay(date('2026-09-06'), santiago);
    expect(toIso(start)).toBe('2026-09-06T04:00:00.000Z');
    expect(localParts(start, santiago)).toMatchObject({ day: 6, hour: 1, minute: 0, second: 0 });
    expect(localDateOf(start - 1, santiago)).toEqual(date('2026-09-05'));
  });

  it('starts a day a zone skipped entirely when the next day starts (Samoa, 2011-12-30)', () => {
    const apia = zone('Pacific/Apia');
    const start = startOfLocalDay(date('2011-12-30'), apia);
    expect(toIso(start)).toBe('2011-12-30T10:00:00.000Z');
    expect(localDateOf(start, apia)).toEqual(date('2011-12-31'));
    expect(localDateOf(start - 1, apia)).toEqual(date('2011-12-29'));
  });

  test.prop([instants, fc.constantFrom(...allZones)])(
    'is the first instant of the local day, in every zone the runtime knows',
    (at, tz) => {
      const day = localDateOf(at, tz);
      const start = startOfLocalDay(day, tz);
      expect(start).toBeLessThanOrEqual(at);
      expect(localDateOf(start, tz)).toEqual(day);
      expect(compareLocalDates(localDateOf(start - 1, tz), day)).toBeLessThan(0);
    },
  );
});

describe('calendar arithmetic', () => {
  it.each([
    ['2026-03-07', 1, '2026-03-08'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2100-02-28', 1, '2100-03-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-01-01', 365, '2027-01-01'],
  ])('%s plus %i day(s) is %s', (from, days, to) => {
    expect(formatLocalDate(addLocalDays(date(from), days))).toBe(to);
  });

  test.prop([dates, fc.integer({ min: -5000, max: 5000 }), fc.integer({ min: -5000, max: 5000 })])(
    'adding days composes and moves the date by exactly that many days',
    (d, a, b) => {
      expect(addLocalDays(addLocalDays(d, a), b)).toEqual(addLocalDays(d, a + b));
      expect(compareLocalDates(addLocalDays(d, a), d)).toBe(a);
    },
  );

  it('refuses a fractional number of days', () => {
    expect(() => addLocalDays(date('2026-01-01'), 0.5)).toThrow(RangeError);
  });

  it('knows 1970-01-01 was a Thursday and 2026-03-07 a Saturday', () => {
    expect(weekdayOf(date('1970-01-01'))).toBe(4);
    expect(weekdayOf(date('2026-03-07'))).toBe(6);
    expect(weekdayOf(date('1969-12-28'))).toBe(0);
  });

  test.prop([dates])('weekday advances by one each day', (d) => {
    expect(weekdayOf(addLocalDays(d, 1))).toBe((weekdayOf(d) + 1) % 7);
  });
});

describe('parseLocalDate', () => {
  test.prop([dates])('round-trips through formatLocalDate', (d) => {
    expect(parseLocalDate(formatLocalDate(d), 'date')).toEqual({ ok: true, value: d });
  });

  it.each([
    '2026-02-29',
    '2026-13-01',
    '2026-04-31',
    '26-1-1',
    '2026-1-01',
    '',
    '2026-03-07T00:00',
  ])('rejects %j, naming the field', (input) => {
    const result = parseLocalDate(input, 'window.from');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain('window.from');
  });
});
