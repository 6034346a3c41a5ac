import { describe, expect, it } from 'vitest';
import { parseTimeZone } from './time-zone.ts';

describe('parseTimeZone', () => {
  it.each(['America/New_York', 'America/Los_Angeles', 'America/Chicago', 'UTC', 'Etc/GMT+5'])(
    'accepts the IANA zone %s as is',
    (name) => {
      expect(parseTimeZone(name, 'subscriber.timeZone')).toEqual({ ok: true, value: name });
    },
  );

  it('returns the tz database spelling of a name typed in the wrong case', () => {
    expect(parseTimeZone('america/new_york', 'timeZone')).toEqual({
      ok: true,
      value: 'America/New_York',
    });
  });

  it('keeps a link name such as Asia/Kolkata rather than the legacy name Intl resolves it to', () => {
    expect(parseTimeZone('Asia/Kolkata', 'timeZone')).toEqual({ ok: true, value: 'Asia/Kolkata' });
  });

  it.each([
    ['an unknown zone', 'Mars/Olympus_Mons'],
    ['an abbreviation that ignores DST', 'EST'],
    ['a fixed offset', '-05:00'],
    ['surrounding whitespace', ' America/New_York'],
    ['the empty string', ''],
    ['a very long string', `America/${'x'.repeat(500)}`],
  ])('rejects %s, naming the field and the fix', (_, input) => {
    const result = parseTimeZone(input, 'subscriber.timeZone');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_time_zone');
    expect(result.error.field).toBe('subscriber.timeZone');
    expect(result.error.message).toContain('subscriber.timeZone');
    expect(result.error.message).toContain('America/New_York');
    expect(result.error.message.length).toBeLessThan(300);
  });

  it('rejects a value that is not a string', () => {
    const result = parseTimeZone(42, 'timeZone');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/timeZone must be a string/);
  });
});
