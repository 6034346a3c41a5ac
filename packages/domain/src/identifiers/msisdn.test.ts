import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random/random-source.ts';
import { digitString, expectRejected, seed } from './internal/test-support.ts';
import {
  formatMsisdn,
  generateMsisdn,
  isFictionalMsisdn,
  isMsisdn,
  type Msisdn,
  parseMsisdn,
} from './msisdn.ts';

const nxx = fc.tuple(fc.integer({ min: 2, max: 9 }), digitString(2)).map(([n, xx]) => `${n}${xx}`);
const areaCode = nxx.filter((code) => !code.endsWith('11'));
const validMsisdn = fc
  .tuple(areaCode, nxx, digitString(4))
  .map(([npa, exchange, line]) => `+1${npa}${exchange}${line}`);

const msisdn = (text: string): Msisdn => {
  const parsed = parseMsisdn(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
};

describe('parseMsisdn', () => {
  test.prop([validMsisdn])('formats a parsed number back to the same E.164 text', (text) => {
    const parsed = parseMsisdn(text);
    expect(parsed.ok && formatMsisdn(parsed.value)).toBe(text);
  });

  test.prop([validMsisdn])('formats nationally as (NPA) NXX-XXXX with the same digits', (text) => {
    const national = formatMsisdn(msisdn(text), 'national');
    expect(national).toMatch(/^\(\d{3}\) \d{3}-\d{4}$/);
    expect(`+1${national.replace(/\D/g, '')}`).toBe(text);
  });

  it('formats the example number nationally', () => {
    expect(formatMsisdn(msisdn('+12125550123'), 'national')).toBe('(212) 555-0123');
  });

  it('rejects formatted or non-NANP input, showing the expected form', () => {
    for (const text of [
      '+1 (212) 555-0123',
      '2125550123',
      '12125550123',
      '+442071838750',
      '+1212555012',
    ]) {
      const error = expectRejected(parseMsisdn(text), 'msisdn', 'e164');
      expect(error.message).toContain('+1NXXNXXXXXX');
    }
  });

  it('rejects area codes starting 0 or 1 and N11 service codes', () => {
    expectRejected(parseMsisdn('+10125550123'), 'msisdn', 'area_code');
    expectRejected(parseMsisdn('+11125550123'), 'msisdn', 'area_code');
    expectRejected(parseMsisdn('+19115550123'), 'msisdn', 'area_code');
  });

  it('rejects exchanges starting 0 or 1', () => {
    expectRejected(parseMsisdn('+12120550123'), 'msisdn', 'exchange');
    expectRejected(
      parseMsisdn('+12121550123', 'subscriber.msisdn'),
      'subscriber.msisdn',
      'exchange',
    );
  });

  it('rejects values that are not strings', () => {
    expectRejected(parseMsisdn(12125550123), 'msisdn', 'type');
    expect(isMsisdn('+12125550123')).toBe(true);
    expect(isMsisdn('+12125550123 ')).toBe(false);
  });
});

describe('isFictionalMsisdn', () => {
  it('is true exactly for 555-0100 through 555-0199', () => {
    expect(isFictionalMsisdn(msisdn('+12125550100'))).toBe(true);
    expect(isFictionalMsisdn(msisdn('+12125550199'))).toBe(true);
    expect(isFictionalMsisdn(msisdn('+12125550099'))).toBe(false);
    expect(isFictionalMsisdn(msisdn('+12125550200'))).toBe(false);
    expect(isFictionalMsisdn(msisdn('+12125560150'))).toBe(false);
  });
});

describe('generateMsisdn', () => {
  test.prop([seed])('only generates valid numbers in 555-0100..0199', (s) => {
    const generated = generateMsisdn(seededRandom(s));
    expect(isMsisdn(generated)).toBe(true);
    expect(generated).toMatch(/^\+1[2-9]\d{2}55501\d{2}$/);
    expect(generated.slice(3, 5)).not.toBe('11');
    expect(isFictionalMsisdn(generated)).toBe(true);
  });

  test.prop([seed, areaCode])('keeps a caller-given area code', (s, code) => {
    expect(generateMsisdn(seededRandom(s), { areaCode: code }).slice(2, 5)).toBe(code);
  });

  test.prop([seed])('generates the same number from the same seed', (s) => {
    expect(generateMsisdn(seededRandom(s))).toBe(generateMsisdn(seededRandom(s)));
  });

  it('reaches the whole fictional block and many area codes', () => {
    const random = seededRandom(7);
    const lines = new Set<string>();
    const areaCodes = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const generated = generateMsisdn(random);
      lines.add(generated.slice(-4));
      areaCodes.add(generated.slice(2, 5));
    }
    expect(lines.size).toBe(100);
    expect(areaCodes.size).toBeGreaterThan(700);
  });

  it('refuses an invalid area code', () => {
    expect(() => generateMsisdn(seededRandom(1), { areaCode: '112' })).toThrow(RangeError);
    expect(() => generateMsisdn(seededRandom(1), { areaCode: '411' })).toThrow(RangeError);
    expect(() => generateMsisdn(seededRandom(1), { areaCode: '21' })).toThrow(RangeError);
  });
});
