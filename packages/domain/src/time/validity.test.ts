import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { unwrap } from '../result.ts';
import { DAY_MS, HOUR_MS, toIso } from './instant.ts';
import { addLocalDays, compareLocalDates, localDateOf, localParts } from './local-date.ts';
import { parseTimeZone, type TimeZone } from './time-zone.ts';
import { expiresAt } from './validity.ts';

const zone = (name: string): TimeZone => unwrap(parseTimeZone(name, 'zone'));
const at = (iso: string): number => Date.parse(iso);

describe('expiresAt', () => {
  it('ends a 7-day plan enabled before spring-forward at 00:00 EDT on day 8 (the contract example)', () => {
    const enabled = at('2026-03-07T15:00:00Z'); // 10:00 EST
    expect(toIso(expiresAt(enabled, 7, zone('America/New_York')))).toBe('2026-03-14T04:00:00.000Z');
  });

  it('ends a 1-day pass at the next local midnight, however late it was bought', () => {
    const ny = zone('America/New_York');
    expect(toIso(expiresAt(at('2026-06-10T04:00:00Z'), 1, ny))).toBe('2026-06-11T04:00:00.000Z');
    expect(toIso(expiresAt(at('2026-06-11T03:59:59Z'), 1, ny))).toBe('2026-06-11T04:00:00.000Z');
  });

  // Each carrier zone on the 2026 DST days, starting just after midnight and just before the
  // next one: the 00:30 start has a 23 h or 25 h day ahead of it, the 23:30 start 30 minutes.
  it.each([
    ['America/New_York', '2026-03-08T05:30:00Z', 1, '2026-03-09T04:00:00.000Z'], // 00:30 EST
    ['America/New_York', '2026-03-09T03:30:00Z', 1, '2026-03-09T04:00:00.000Z'], // 23:30 EDT
    ['America/New_York', '2026-03-07T05:30:00Z', 2, '2026-03-09T04:00:00.000Z'], // 00:30 EST the day before
    ['America/New_York', '2026-11-01T04:30:00Z', 1, '2026-11-02T05:00:00.000Z'], // 00:30 EDT
    ['America/New_York', '2026-11-01T05:30:00Z', 1, '2026-11-02T05:00:00.000Z'], // 01:30 EDT
    ['America/New_York', '2026-11-01T06:30:00Z', 1, '2026-11-02T05:00:00.000Z'], // 01:30 EST, again
    ['America/New_York', '2026-11-02T04:30:00Z', 1, '2026-11-02T05:00:00.000Z'], // 23:30 EST
    ['America/New_York', '2026-10-31T04:30:00Z', 2, '2026-11-02T05:00:00.000Z'], // 00:30 EDT the day before
    ['America/Los_Angeles', '2026-03-08T08:30:00Z', 1, '2026-03-09T07:00:00.000Z'], // 00:30 PST
    ['America/Los_Angeles', '2026-03-09T06:30:00Z', 1, '2026-03-09T07:00:00.000Z'], // 23:30 PDT
    ['America/Los_Angeles', '2026-11-01T07:30:00Z', 1, '2026-11-02T08:00:00.000Z'], // 00:30 PDT
    ['America/Los_Angeles', '2026-11-02T07:30:00Z', 1, '2026-11-02T08:00:00.000Z'], // 23:30 PST
    ['America/Los_Angeles', '2026-03-01T18:00:00Z', 30, '2026-03-31T07:00:00.000Z'], // 10:00 PST
    ['America/Chicago', '2026-03-08T06:30:00Z', 1, '2026-03-09T05:00:00.000Z'], // 00:30 CST
    ['America/Chicago', '2026-03-09T04:30:00Z', 1, '2026-03-09T05:00:00.000Z'], // 23:30 CDT
    ['America/Chicago', '2026-11-01T05:30:00Z', 1, '2026-11-02T06:00:00.000Z'], // 00:30 CDT
    ['America/Chicago', '2026-11-02T05:30:00Z', 1, '2026-11-02T06:00:00.000Z'], // 23:30 CST
    ['America/Chicago', '2026-10-15T17:00:00Z', 30, '2026-11-14T06:00:00.000Z'], // 12:00 CDT
  ])(
    'in %s, a validity started at %s for %i day(s) expires at %s',
    (name, start, days, expected) => {
      expect(toIso(expiresAt(at(start), days, zone(name)))).toBe(expected);
    },
  );

  it('counts days on the subscriber’s calendar, not the carrier’s or UTC’s', () => {
    // 2026-05-01 02:00 UTC is still April 30 in Los Angeles but May 1 in New York.
    const bought = at('2026-05-01T02:00:00Z');
    expect(toIso(expiresAt(bought, 1, zone('America/Los_Angeles')))).toBe(
      '2026-05-01T07:00:00.000Z',
    );
    expect(toIso(expiresAt(bought, 1, zone('UTC')))).toBe('2026-05-02T00:00:00.000Z');
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'refuses a validity of %s days as a programming error',
    (days) => {
      expect(() => expiresAt(0, days, zone('UTC'))).toThrow(RangeError);
    },
  );

  const zones = [
    'America/New_York',
    'America/Los_Angeles',
    'America/Chicago',
    'America/Phoenix',
    'Pacific/Honolulu',
    'Europe/London',
    'Australia/Lord_Howe',
  ].map(zone);
  const instants = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2036, 0, 1) - 1 });

  test.prop([instants, fc.integer({ min: 1, max: 400 }), fc.constantFrom(...zones)])(
    'expires at a local midnight exactly N calendar days after the start date, N-1 to N days later',
    (startedAt, days, tz) => {
      const expiry = expiresAt(startedAt, days, tz);
      const local = localParts(expiry, tz);
      expect([local.hour, local.minute, local.second]).toEqual([0, 0, 0]);
      expect(expiry).toBeGreaterThan(startedAt);
      expect(
        compareLocalDates(localDateOf(expiry, tz), addLocalDays(localDateOf(startedAt, tz), days)),
      ).toBe(0);
      // Lord Howe shifts by 30 minutes, the others by an hour: 1 h bounds them all.
      const elapsed = expiry - startedAt;
      expect(elapsed).toBeGreaterThanOrEqual((days - 1) * DAY_MS - HOUR_MS);
      expect(elapsed).toBeLessThanOrEqual(days * DAY_MS + HOUR_MS);
      // The instant before expiry is still on day N.
      expect(
        compareLocalDates(
          localDateOf(expiry - 1, tz),
          addLocalDays(localDateOf(startedAt, tz), days - 1),
        ),
      ).toBe(0);
    },
  );
});
