import { type RandomSource, randomDigits } from '../random/random-source.ts';
import { ok, type Result } from '../result.ts';
import type { IdentifierError } from './identifier-error.ts';
import { describeType, firstNonDigit, invalid, isDigits, quote } from './internal/invalid.ts';

/** An International Mobile Subscriber Identity: 15 digits, MCC + MNC + MSIN. */
export type Imsi = string & { readonly __brand: 'Imsi' };

export interface ImsiParts {
  /** Mobile Country Code, 310-316 for the US. */
  readonly mcc: string;
  /** Mobile Network Code: always 3 digits in the US. */
  readonly mnc: string;
  /** Mobile Subscription Identification Number: the remaining 9 digits. */
  readonly msin: string;
}

const imsiLength = 15;

/** MCCs 310 to 316 are allocated to the United States (ITU-T E.212). */
function isUsMcc(mcc: string): boolean {
  return /^31[0-6]$/.test(mcc);
}

/** Parses a US IMSI: 15 digits with a US MCC (310-316) and a 3-digit MNC. */
export function parseImsi(input: unknown, field = 'imsi'): Result<Imsi, IdentifierError> {
  if (typeof input !== 'string') {
    return invalid(
      field,
      'type',
      `${field} must be a string of 15 digits, got ${describeType(input)}`,
    );
  }
  if (!isDigits(input)) {
    return invalid(
      field,
      'digits',
      `${field} must contain only digits 0-9: found ${quote(firstNonDigit(input))} in ${quote(input)}`,
    );
  }
  if (input.length !== imsiLength) {
    return invalid(field, 'length', `${field} must be ${imsiLength} digits, got ${input.length}`);
  }
  const mcc = input.slice(0, 3);
  if (!isUsMcc(mcc)) {
    return invalid(
      field,
      'mcc',
      `${field} must start with a US mobile country code 310-316, got ${mcc}`,
    );
  }
  return ok(input as Imsi);
}

export function isImsi(input: unknown): input is Imsi {
  return parseImsi(input).ok;
}

export function formatImsi(imsi: Imsi): string {
  return imsi;
}

/** Splits an IMSI into MCC, MNC and MSIN (US MNCs are 3 digits). */
export function imsiParts(imsi: Imsi): ImsiParts {
  return { mcc: imsi.slice(0, 3), mnc: imsi.slice(3, 6), msin: imsi.slice(6) };
}

export interface ImsiOptions {
  /** The carrier's MCC, e.g. `310`. */
  readonly mcc: string;
  /** The carrier's 3-digit MNC, e.g. `410`. */
  readonly mnc: string;
}

/** A random IMSI on the given network: a random 9-digit MSIN after MCC and MNC. */
export function generateImsi(random: RandomSource, options: ImsiOptions): Imsi {
  const { mcc, mnc } = options;
  if (!isUsMcc(mcc)) throw new RangeError(`generateImsi needs a US MCC 310-316, got ${mcc}`);
  if (!/^[0-9]{3}$/.test(mnc)) throw new RangeError(`generateImsi needs a 3-digit MNC, got ${mnc}`);
  return `${mcc}${mnc}${randomDigits(random, imsiLength - 6)}` as Imsi;
}
