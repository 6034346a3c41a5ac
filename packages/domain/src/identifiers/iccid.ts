import { type RandomSource, randomDigits } from '../random/random-source.ts';
import { ok, type Result } from '../result.ts';
import type { IdentifierError } from './identifier-error.ts';
import { describeType, firstNonDigit, invalid, isDigits, quote } from './internal/invalid.ts';
import { luhnCheckDigit } from './internal/luhn.ts';

/** A SIM's Integrated Circuit Card Id (ITU-T E.118): canonical 19 or 20 decimal digits. */
export type Iccid = string & { readonly __brand: 'Iccid' };

/** `89` is the telecom industry identifier; `1` the US country code that follows it. */
const iccidPrefix = '891';

export interface IccidExpectations {
  /** The issuer id that must follow `891`, e.g. the carrier's own. */
  readonly issuerId?: string;
}

/**
 * Parses an ICCID: 19 or 20 digits, `89`, country code `1`, issuer, account and a Luhn check
 * digit. A 19-digit ICCID padded with a trailing `F` (as SIMs store it) becomes the 19 digits.
 */
export function parseIccid(
  input: unknown,
  field = 'iccid',
  expect: IccidExpectations = {},
): Result<Iccid, IdentifierError> {
  if (typeof input !== 'string') {
    return invalid(
      field,
      'type',
      `${field} must be a string of 19 or 20 digits, got ${describeType(input)}`,
    );
  }
  // The SIM file EF.ICCID is BCD with an F filler nibble, so readers often report it.
  const digits = /^[0-9]{19}[Ff]$/.test(input) ? input.slice(0, 19) : input;
  if (!isDigits(digits)) {
    return invalid(
      field,
      'digits',
      `${field} must contain only digits 0-9 (a 19-digit ICCID may end in one padding F): found ${quote(firstNonDigit(digits))} in ${quote(input)}`,
    );
  }
  if (digits.length !== 19 && digits.length !== 20) {
    return invalid(field, 'length', `${field} must be 19 or 20 digits, got ${digits.length}`);
  }
  if (!digits.startsWith('89')) {
    return invalid(
      field,
      'prefix',
      `${field} must start with 89 (the telecom industry identifier), got ${quote(digits.slice(0, 2))}`,
    );
  }
  if (digits[2] !== '1') {
    return invalid(
      field,
      'country_code',
      `${field} must have the US country code 1 after 89, got ${quote(digits.slice(2, 3))}`,
    );
  }
  if (expect.issuerId !== undefined && !digits.startsWith(expect.issuerId, iccidPrefix.length)) {
    return invalid(
      field,
      'issuer',
      `${field} must have issuer id ${expect.issuerId} after 891, got ${quote(digits.slice(3, 3 + expect.issuerId.length))}`,
    );
  }
  const expected = luhnCheckDigit(digits.slice(0, -1));
  const actual = digits.slice(-1);
  if (String(expected) !== actual) {
    return invalid(
      field,
      'luhn',
      `${field} must end with a Luhn check digit: expected ${expected}, got ${actual}`,
    );
  }
  return ok(digits as Iccid);
}

/** Whether `input` is already a canonical ICCID (padding `F` not allowed). */
export function isIccid(input: unknown): input is Iccid {
  const parsed = parseIccid(input);
  return parsed.ok && parsed.value === input;
}

/** The canonical digits, without padding. */
export function formatIccid(iccid: Iccid): string {
  return iccid;
}

export interface IccidOptions {
  /** The issuer id after `891`, as given by the carrier's catalog (1 to 4 digits). */
  readonly issuerId: string;
  readonly length?: 19 | 20;
}

/** A random valid US ICCID for the given issuer. */
export function generateIccid(random: RandomSource, options: IccidOptions): Iccid {
  const { issuerId, length = 19 } = options;
  if (!/^[0-9]{1,4}$/.test(issuerId)) {
    throw new RangeError(`generateIccid needs an issuer id of 1 to 4 digits, got ${issuerId}`);
  }
  const accountLength = length - 1 - iccidPrefix.length - issuerId.length;
  const payload = `${iccidPrefix}${issuerId}${randomDigits(random, accountLength)}`;
  return `${payload}${luhnCheckDigit(payload)}` as Iccid;
}
