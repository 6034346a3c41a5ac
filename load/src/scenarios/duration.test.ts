import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.ts';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['2m', 120_000],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    ['500ms', 500],
    ['1h2m3s4ms', 3_723_004],
    [' 10s ', 10_000],
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });

  it('refuses a bare number and says which unit to add', () => {
    const parsed = parseDuration('30');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(/no unit; write 30s/);
  });

  it.each(['', 's', '30 s', '2d', '1m30', 'abc', '-5s'])('refuses "%s"', (text) => {
    const parsed = parseDuration(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(/units: ms, s, m, h/);
  });
});

describe('formatDuration', () => {
  it('writes the shortest form k6 reads', () => {
    expect(formatDuration(30_000)).toBe('30s');
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(1500)).toBe('1s500ms');
    expect(formatDuration(0)).toBe('0s');
  });

  it('round-trips through parseDuration for any whole number of milliseconds', () => {
    let state = 7;
    for (let i = 0; i < 2000; i++) {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      const ms = state % (30 * 3_600_000);
      expect(parseDuration(formatDuration(ms))).toEqual({ ok: true, ms });
    }
  });
});
