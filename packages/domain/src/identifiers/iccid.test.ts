import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random/random-source.ts';
import { formatIccid, generateIccid, isIccid, parseIccid } from './iccid.ts';
import { luhnCheckDigit } from './internal/luhn.ts';
import {
  digitString,
  expectRejected,
  seed,
  singleDigitSubstitutions,
} from './internal/test-support.ts';

/** Valid US ICCIDs built digit by digit: 891, a 3-digit issuer, account digits, Luhn. */
const validIccid = fc
  .tuple(digitString(3), fc.constantFrom(12, 13))
  .chain(([issuer, accountLength]) =>
    digitString(accountLength).map((account) => `891${issuer}${account}`),
  )
  .map((payload) => `${payload}${luhnCheckDigit(payload)}`);

// Computed independently of this code base (a Python one-liner).
const knownIccid = '8914100000000000003';

describe('parseIccid', () => {
  it('accepts a known valid 19-digit ICCID', () => {
    expect(parseIccid(knownIccid)).toEqual({ ok: true, value: knownIccid });
    expect(parseIccid('89148012345678901238').ok).toBe(true);
  });

  test.prop([validIccid])('formats a parsed ICCID back to the same digits', (iccid) => {
    const parsed = parseIccid(iccid);
    expect(parsed.ok && formatIccid(parsed.value)).toBe(iccid);
  });

  test.prop([validIccid.filter((iccid) => iccid.length === 19), fc.constantFrom('F', 'f')])(
    'normalises a 19-digit ICCID padded with a trailing F to the 19 digits',
    (iccid, padding) => {
      expect(parseIccid(`${iccid}${padding}`)).toEqual({ ok: true, value: iccid });
    },
  );

  test.prop([validIccid])('rejects every single-digit change', (iccid) => {
    const accepted = singleDigitSubstitutions(iccid).filter((variant) => parseIccid(variant).ok);
    expect(accepted).toEqual([]);
  });

  it('names the Luhn rule and the expected digit when the check digit is wrong', () => {
    const error = expectRejected(parseIccid('8914100000000000007'), 'iccid', 'luhn');
    expect(error.message).toBe('iccid must end with a Luhn check digit: expected 3, got 7');
  });

  it('rejects the wrong length', () => {
    expectRejected(parseIccid('891410000000000003'), 'iccid', 'length');
    expectRejected(parseIccid(''), 'iccid', 'length');
    expectRejected(parseIccid('891410000000000000000'), 'iccid', 'length');
  });

  it('rejects non-digits, whitespace and misplaced padding', () => {
    expectRejected(parseIccid('89141000000000000A3'), 'iccid', 'digits');
    expectRejected(parseIccid(` ${knownIccid}`), 'iccid', 'digits');
    expectRejected(parseIccid(`${knownIccid}\n`), 'iccid', 'digits');
    expectRejected(parseIccid(`${knownIccid}0F`), 'iccid', 'digits');
    expectRejected(parseIccid(`F${knownIccid}`), 'iccid', 'digits');
  });

  it('rejects a prefix other than 89 and a country code other than 1', () => {
    const badPrefix = `981410000000000000`;
    expectRejected(parseIccid(`${badPrefix}${luhnCheckDigit(badPrefix)}`), 'iccid', 'prefix');
    const uk = '894410000000000000';
    expectRejected(parseIccid(`${uk}${luhnCheckDigit(uk)}`), 'iccid', 'country_code');
  });

  it('rejects an ICCID from another issuer when one is expected', () => {
    expect(parseIccid(knownIccid, 'iccid', { issuerId: '410' }).ok).toBe(true);
    expectRejected(parseIccid(knownIccid, 'iccid', { issuerId: '260' }), 'iccid', 'issuer');
  });

  it('rejects values that are not strings, naming the caller’s field', () => {
    const error = expectRejected(parseIccid(89141, 'subscriber.iccid'), 'subscriber.iccid', 'type');
    expect(error.message).toBe(
      'subscriber.iccid must be a string of 19 or 20 digits, got a number',
    );
    expect(expectRejected(parseIccid(null), 'iccid', 'type').message).toMatch(/got null$/);
  });
});

describe('isIccid', () => {
  it('accepts canonical ICCIDs only', () => {
    expect(isIccid(knownIccid)).toBe(true);
    expect(isIccid(`${knownIccid}F`)).toBe(false);
    expect(isIccid('8914100000000000004')).toBe(false);
    expect(isIccid(undefined)).toBe(false);
  });
});

describe('generateIccid', () => {
  test.prop([
    seed,
    fc.constantFrom('410', '260', '480'),
    fc.constantFrom(19 as const, 20 as const),
  ])('generates valid ICCIDs of the requested issuer and length', (s, issuerId, length) => {
    const iccid = generateIccid(seededRandom(s), { issuerId, length });
    expect(iccid).toHaveLength(length);
    expect(iccid.startsWith(`891${issuerId}`)).toBe(true);
    expect(parseIccid(iccid, 'iccid', { issuerId })).toEqual({ ok: true, value: iccid });
  });

  test.prop([seed])('generates the same ICCID from the same seed', (s) => {
    const options = { issuerId: '410' };
    expect(generateIccid(seededRandom(s), options)).toBe(generateIccid(seededRandom(s), options));
  });

  it('defaults to 19 digits and refuses an issuer id that is not 1-4 digits', () => {
    expect(generateIccid(seededRandom(1), { issuerId: '260' })).toHaveLength(19);
    expect(() => generateIccid(seededRandom(1), { issuerId: 'att' })).toThrow(RangeError);
    expect(() => generateIccid(seededRandom(1), { issuerId: '12345' })).toThrow(RangeError);
  });
});
