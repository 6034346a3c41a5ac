import { localParts } from '@esimlab/domain';
import { describe, expect, it } from 'vitest';
import { durationMs, nextDstChange, nextLocalTime, timeZoneOf } from './local-time-search.ts';

const newYork = timeZoneOf('America/New_York');

describe('nextDstChange', () => {
  it('finds the minute New York springs forward (2027-03-14 02:00 EST = 07:00Z)', () => {
    const at = nextDstChange(Date.parse('2027-01-01T00:00:00Z'), newYork, 'start');
    expect(new Date(at).toISOString()).toBe('2027-03-14T07:00:00.000Z');
  });

  it('finds the minute New York falls back (2027-11-07 02:00 EDT = 06:00Z)', () => {
    const at = nextDstChange(Date.parse('2027-03-20T00:00:00Z'), newYork, 'end');
    expect(new Date(at).toISOString()).toBe('2027-11-07T06:00:00.000Z');
  });

  it('skips the other kind of change', () => {
    const at = nextDstChange(Date.parse('2027-10-01T00:00:00Z'), newYork, 'start');
    expect(new Date(at).toISOString()).toBe('2028-03-12T07:00:00.000Z');
  });

  it('refuses a zone without daylight saving', () => {
    expect(() => nextDstChange(Date.now(), timeZoneOf('America/Phoenix'), 'start')).toThrow(
      /no daylight saving start/,
    );
  });
});

describe('nextLocalTime', () => {
  it('finds the next Saturday 00:30 in New York, strictly after the start', () => {
    const from = Date.parse('2026-11-26T12:00:00Z'); // a Thursday
    const at = nextLocalTime(from, newYork, { weekday: 6, hour: 0, minute: 30 });
    expect(new Date(at).toISOString()).toBe('2026-11-28T05:30:00.000Z');
    expect(nextLocalTime(at, newYork, { weekday: 6, hour: 0, minute: 30 })).toBe(
      at + 7 * 24 * 3_600_000,
    );
  });

  it('reads the wall clock of the zone asked for, not the machine', () => {
    const la = timeZoneOf('America/Los_Angeles');
    const at = nextLocalTime(Date.parse('2026-11-26T12:00:00Z'), la, { hour: 23, minute: 30 });
    expect(localParts(at, la)).toMatchObject({ day: 26, hour: 23, minute: 30 });
  });
});

describe('durationMs', () => {
  it.each([
    ['P1D', 86_400_000],
    ['PT6H', 21_600_000],
    ['P1W2DT3H4M5.5S', (9 * 86_400 + 3 * 3600 + 4 * 60 + 5.5) * 1000],
  ])('%s is %i ms', (duration, ms) => {
    expect(durationMs(duration)).toBe(ms);
  });

  it('refuses months, which have no fixed length', () => {
    expect(() => durationMs('P1M')).toThrow(/not an ISO 8601 duration/);
  });
});
