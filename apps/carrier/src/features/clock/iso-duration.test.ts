import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from '@esimlab/domain';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { MAX_ADVANCE_MS, parseIsoDuration } from './iso-duration.ts';

const part = fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined });

describe('parseIsoDuration', () => {
  test.prop([
    part,
    part,
    part,
    part,
    part,
    fc.option(fc.integer({ min: 0, max: 999 }), { nil: undefined }),
  ])(
    'adds up weeks, days, hours, minutes and seconds',
    (weeks, days, hours, minutes, seconds, millis) => {
      const time =
        (hours === undefined ? '' : `${hours}H`) +
        (minutes === undefined ? '' : `${minutes}M`) +
        (seconds === undefined
          ? ''
          : `${seconds}${millis === undefined ? '' : `.${String(millis).padStart(3, '0')}`}S`);
      const text = `P${weeks === undefined ? '' : `${weeks}W`}${days === undefined ? '' : `${days}D`}${time ? `T${time}` : ''}`;
      const ms =
        (weeks ?? 0) * 7 * DAY_MS +
        (days ?? 0) * DAY_MS +
        (hours ?? 0) * HOUR_MS +
        (minutes ?? 0) * MINUTE_MS +
        (seconds ?? 0) * SECOND_MS +
        (seconds === undefined ? 0 : (millis ?? 0));
      const parsed = parseIsoDuration(text);
      if (text === 'P' || ms === 0 || ms > MAX_ADVANCE_MS) expect(parsed.ok).toBe(false);
      else expect(parsed).toEqual({ ok: true, ms });
    },
  );

  it.each(['P1Y', 'P2M', 'P1Y2M3D', 'P1M1D'])('refuses %s as calendar-dependent', (text) => {
    const parsed = parseIsoDuration(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/years or months/);
  });

  it.each(['-P1D', 'P', 'PT', 'P1DT', 'P1.5D', 'p1d', ' P1D', 'P1H', 'PT1D', 'P1D1W'])(
    'refuses %j with an example of what works',
    (text) => {
      const parsed = parseIsoDuration(text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.message).toContain('P1D');
    },
  );

  it('reads PT1M as a minute, not a month', () => {
    expect(parseIsoDuration('PT1M')).toEqual({ ok: true, ms: MINUTE_MS });
  });
});
