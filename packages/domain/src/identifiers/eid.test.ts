import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random/random-source.ts';
import { defaultEidPrefix, formatEid, generateEid, isEid, parseEid } from './eid.ts';
import {
  digitString,
  expectRejected,
  seed,
  singleDigitSubstitutions,
} from './internal/test-support.ts';

const knownEid = '89882119900000000000000000001654';

/** Valid EIDs built from digits; check digits by BigInt, independently of the code under test. */
const validEid = digitString(28).map((body) => {
  const payload = `89${body}`;
  const check = 98n - ((BigInt(payload) * 100n) % 97n);
  return `${payload}${String(check).padStart(2, '0')}`;
});

describe('parseEid', () => {
  it('accepts the known valid EID', () => {
    expect(parseEid(knownEid)).toEqual({ ok: true, value: knownEid });
  });

  it('rejects every one of the 32 × 9 single-digit changes of the known EID', () => {
    const variants = singleDigitSubstitutions(knownEid);
    expect(variants).toHaveLength(32 * 9);
    const accepted = variants.filter((variant) => parseEid(variant).ok);
    expect(accepted).toEqual([]);
  });

  it('names the check-digit rule and the expected digits', () => {
    const error = expectRejected(parseEid(`${knownEid.slice(0, 30)}55`), 'eid', 'check_digits');
    expect(error.message).toContain('expected 54, got 55');
  });

  test.prop([validEid])('formats a parsed EID back to the same digits', (eid) => {
    const parsed = parseEid(eid);
    expect(parsed.ok && formatEid(parsed.value)).toBe(eid);
  });

  it('rejects the wrong length, non-digits and a prefix other than 89', () => {
    expectRejected(parseEid(knownEid.slice(0, 31)), 'eid', 'length');
    expectRejected(parseEid(`${knownEid}0`), 'eid', 'length');
    expectRejected(parseEid(`${knownEid.slice(0, 31)}O`), 'eid', 'digits');
    expectRejected(parseEid(`98${knownEid.slice(2)}`), 'eid', 'prefix');
    expectRejected(parseEid(32, 'subscriber.eid'), 'subscriber.eid', 'type');
  });

  it('reports the caller’s field name', () => {
    const error = expectRejected(parseEid('123', 'subscriber.eid'), 'subscriber.eid', 'length');
    expect(error.message).toMatch(/^subscriber\.eid must be 32 digits/);
  });
});

describe('generateEid', () => {
  test.prop([seed])('generates valid EIDs with the default prefix', (s) => {
    const eid = generateEid(seededRandom(s));
    expect(eid.startsWith(defaultEidPrefix)).toBe(true);
    expect(BigInt(eid) % 97n).toBe(1n);
    expect(isEid(eid)).toBe(true);
  });

  test.prop([seed, fc.integer({ min: 0, max: 28 }).chain(digitString)])(
    'keeps a caller-given prefix',
    (s, rest) => {
      const eid = generateEid(seededRandom(s), { prefix: `89${rest}` });
      expect(eid.startsWith(`89${rest}`)).toBe(true);
      expect(parseEid(eid).ok).toBe(true);
    },
  );

  test.prop([seed])('generates the same EID from the same seed', (s) => {
    expect(generateEid(seededRandom(s))).toBe(generateEid(seededRandom(s)));
  });

  it('refuses a prefix that does not start 89 or leaves no room for check digits', () => {
    expect(() => generateEid(seededRandom(1), { prefix: '12049032' })).toThrow(RangeError);
    expect(() => generateEid(seededRandom(1), { prefix: `89${'0'.repeat(29)}` })).toThrow(
      RangeError,
    );
  });
});
