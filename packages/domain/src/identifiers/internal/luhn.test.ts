import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isLuhnValid, luhnCheckDigit } from './luhn.ts';
import { adjacentTranspositions, digitString, singleDigitSubstitutions } from './test-support.ts';

const validNumber = fc
  .integer({ min: 1, max: 30 })
  .chain(digitString)
  .map((payload) => `${payload}${luhnCheckDigit(payload)}`);

/** A broken checker that forgets to double every second digit: blind to transpositions. */
const undoubledDigitSum = (digits: string): boolean =>
  [...digits].reduce((sum, d) => sum + Number(d), 0) % 10 === 0;

const catchesTranspositions = (isValid: (digits: string) => boolean) =>
  fc.property(validNumber, (valid) =>
    adjacentTranspositions(valid, { skip09: true }).every((variant) => !isValid(variant)),
  );

describe('Luhn', () => {
  it('matches published check digits', () => {
    expect(luhnCheckDigit('7992739871')).toBe(3);
    // Computed independently of this module (a Python one-liner), for US ICCID payloads.
    expect(luhnCheckDigit('891410000000000000')).toBe(3);
    expect(luhnCheckDigit('8914801234567890123')).toBe(8);
    expect(isLuhnValid('79927398713')).toBe(true);
    expect(isLuhnValid('79927398710')).toBe(false);
  });

  test.prop([validNumber])('accepts any digits followed by their check digit', (valid) => {
    expect(isLuhnValid(valid)).toBe(true);
  });

  test.prop([validNumber])('catches every single-digit substitution', (valid) => {
    const missed = singleDigitSubstitutions(valid).filter(isLuhnValid);
    expect(missed).toEqual([]);
  });

  test.prop([validNumber])('catches every adjacent transposition except 0 and 9', (valid) => {
    const missed = adjacentTranspositions(valid, { skip09: true }).filter(isLuhnValid);
    expect(missed).toEqual([]);
  });

  it('cannot see a 0 and 9 swapped, which is why they are the exception', () => {
    const valid = `09${luhnCheckDigit('09')}`;
    expect(isLuhnValid(valid)).toBe(true);
    expect(isLuhnValid(`90${valid.slice(2)}`)).toBe(true);
  });

  it('the transposition property fails for a checker that does not double digits', () => {
    expect(fc.check(catchesTranspositions(isLuhnValid)).failed).toBe(false);
    expect(fc.check(catchesTranspositions(undoubledDigitSum)).failed).toBe(true);
  });

  it('rejects anything but decimal digits', () => {
    expect(isLuhnValid('')).toBe(false);
    expect(isLuhnValid('7992739871 3')).toBe(false);
    expect(() => luhnCheckDigit('12a')).toThrow(RangeError);
  });
});
