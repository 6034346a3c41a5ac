import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isMod97Valid, mod97, mod97CheckDigits } from './mod97-10.ts';
import { adjacentTranspositions, digitString, singleDigitSubstitutions } from './test-support.ts';

const knownEid = '89882119900000000000000000001654';

const validNumber = fc
  .integer({ min: 1, max: 40 })
  .chain(digitString)
  .map((payload) => `${payload}${mod97CheckDigits(payload)}`);

describe('ISO 7064 MOD 97-10', () => {
  it('agrees with BigInt arithmetic on the known valid EID', () => {
    expect(mod97(knownEid)).toBe(Number(BigInt(knownEid) % 97n));
    expect(mod97(knownEid)).toBe(1);
    expect(mod97CheckDigits(knownEid.slice(0, 30))).toBe('54');
  });

  test.prop([fc.integer({ min: 1, max: 40 }).chain(digitString)])(
    'computes the same remainder as BigInt for any digit string',
    (digits) => {
      expect(mod97(digits)).toBe(Number(BigInt(digits) % 97n));
    },
  );

  test.prop([validNumber])('check digits are 02-98 and make the number ≡ 1 (mod 97)', (valid) => {
    expect(isMod97Valid(valid)).toBe(true);
    expect(Number(valid.slice(-2))).toBeGreaterThanOrEqual(2);
    expect(Number(valid.slice(-2))).toBeLessThanOrEqual(98);
  });

  test.prop([validNumber])('catches every single-digit substitution', (valid) => {
    expect(singleDigitSubstitutions(valid).filter(isMod97Valid)).toEqual([]);
  });

  test.prop([validNumber])('catches every adjacent transposition, 0 and 9 included', (valid) => {
    expect(adjacentTranspositions(valid, { skip09: false }).filter(isMod97Valid)).toEqual([]);
  });

  it('rejects anything but decimal digits', () => {
    expect(isMod97Valid('')).toBe(false);
    expect(isMod97Valid(`${knownEid.slice(0, 31)}x`)).toBe(false);
    expect(() => mod97('1.5')).toThrow(RangeError);
  });
});
