// Shared by the identifier tests only; nothing outside the tests imports this file.
import { fc } from '@fast-check/vitest';
import { expect } from 'vitest';
import type { Result } from '../../result.ts';
import type { IdentifierError, IdentifierRule } from '../identifier-error.ts';

/** Exactly `length` decimal digits, leading zeros included. */
export function digitString(length: number): fc.Arbitrary<string> {
  return fc
    .array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length })
    .map((digits) => digits.join(''));
}

export const seed = fc.integer({ min: 0, max: 0xffff_ffff });

/** Asserts the parse failed for `field` with `rule`, and that the message names the field. */
export function expectRejected<T>(
  result: Result<T, IdentifierError>,
  field: string,
  rule: IdentifierRule,
): IdentifierError {
  if (result.ok)
    throw new Error(`expected ${field} to be rejected (${rule}), got ${String(result.value)}`);
  expect(result.error).toMatchObject({ code: 'invalid_identifier', field, rule });
  expect(result.error.message).toContain(field);
  return result.error;
}

/** Every string that differs from `digits` in exactly one position. */
export function singleDigitSubstitutions(digits: string): string[] {
  const variants: string[] = [];
  for (let i = 0; i < digits.length; i++) {
    for (let d = 0; d <= 9; d++) {
      if (String(d) !== digits[i]) variants.push(`${digits.slice(0, i)}${d}${digits.slice(i + 1)}`);
    }
  }
  return variants;
}

/** Every swap of two different adjacent digits, except 0 and 9 which Luhn cannot see. */
export function adjacentTranspositions(digits: string, options: { skip09: boolean }): string[] {
  const variants: string[] = [];
  for (let i = 0; i + 1 < digits.length; i++) {
    const a = digits[i] ?? '';
    const b = digits[i + 1] ?? '';
    if (a === b) continue;
    if (options.skip09 && `${a}${b}`.match(/^(09|90)$/)) continue;
    variants.push(`${digits.slice(0, i)}${b}${a}${digits.slice(i + 2)}`);
  }
  return variants;
}
