import { type RandomSource, randomInt } from '../random/random-source.ts';
import { ok, type Result } from '../result.ts';
import type { IdentifierError } from './identifier-error.ts';
import { describeType, invalid, quote } from './internal/invalid.ts';

/** A US phone number in canonical E.164 form, `+1NXXNXXXXXX`. */
export type Msisdn = string & { readonly __brand: 'Msisdn' };

export type MsisdnStyle = 'e164' | 'national';

const expectedForm = '+1NXXNXXXXXX with N = 2-9 and no spaces or punctuation, e.g. +12125550123';

/** NANP area codes are NXX with N = 2-9; N11 codes (211, 911, ...) are service codes, never area codes. */
function isAreaCode(code: string): boolean {
  return /^[2-9][0-9]{2}$/.test(code) && !code.endsWith('11');
}

/** Parses a NANP number in strict E.164 form `+1NXXNXXXXXX`; formatted input is rejected. */
export function parseMsisdn(input: unknown, field = 'msisdn'): Result<Msisdn, IdentifierError> {
  if (typeof input !== 'string') {
    return invalid(
      field,
      'type',
      `${field} must be a string in the form ${expectedForm}, got ${describeType(input)}`,
    );
  }
  if (!/^\+1[0-9]{10}$/.test(input)) {
    return invalid(field, 'e164', `${field} must be ${expectedForm}; got ${quote(input)}`);
  }
  const areaCode = input.slice(2, 5);
  if (!isAreaCode(areaCode)) {
    return invalid(
      field,
      'area_code',
      `${field} must have a NANP area code starting 2-9 and not ending 11, got ${areaCode}`,
    );
  }
  const exchange = input.slice(5, 8);
  if (!/^[2-9]/.test(exchange)) {
    return invalid(
      field,
      'exchange',
      `${field} must have an exchange code starting 2-9, got ${exchange}`,
    );
  }
  return ok(input as Msisdn);
}

export function isMsisdn(input: unknown): input is Msisdn {
  return parseMsisdn(input).ok;
}

/** `+12125550123` (E.164, the default) or `(212) 555-0123` (national). */
export function formatMsisdn(msisdn: Msisdn, style: MsisdnStyle = 'e164'): string {
  if (style === 'e164') return msisdn;
  return `(${msisdn.slice(2, 5)}) ${msisdn.slice(5, 8)}-${msisdn.slice(8)}`;
}

/** Whether the number is in 555-0100..555-0199, reserved for fiction in every NANP area code. */
export function isFictionalMsisdn(msisdn: Msisdn): boolean {
  return /^55501[0-9]{2}$/.test(msisdn.slice(5));
}

export interface MsisdnOptions {
  /** A NANP area code; random (N = 2-9, not N11) when omitted. */
  readonly areaCode?: string;
}

/** A random number in the fictional 555-0100..0199 block, so no real person is ever dialled. */
export function generateMsisdn(random: RandomSource, options: MsisdnOptions = {}): Msisdn {
  const areaCode = options.areaCode ?? randomAreaCode(random);
  if (!isAreaCode(areaCode)) {
    throw new RangeError(
      `generateMsisdn needs a NANP area code (N = 2-9, not N11), got ${areaCode}`,
    );
  }
  const line = String(100 + randomInt(random, 100)).padStart(4, '0');
  return `+1${areaCode}555${line}` as Msisdn;
}

function randomAreaCode(random: RandomSource): string {
  for (;;) {
    const code = String(200 + randomInt(random, 800));
    if (isAreaCode(code)) return code;
  }
}
