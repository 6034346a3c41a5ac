import { type RandomSource, randomDigits } from '../random/random-source.ts';
import { ok, type Result } from '../result.ts';
import type { IdentifierError } from './identifier-error.ts';
import { describeType, firstNonDigit, invalid, isDigits, quote } from './internal/invalid.ts';
import { mod97, mod97CheckDigits } from './internal/mod97-10.ts';

/** An eUICC Identifier (GSMA SGP.29): 32 decimal digits ending in two check digits. */
export type Eid = string & { readonly __brand: 'Eid' };

const eidLength = 32;

/**
 * `89` (telecom), `049` (the country code of the eUICC maker, here Germany, as on many real
 * EIDs) and `032` (the maker's issuer id): a plausible prefix for simulated eUICCs.
 */
export const defaultEidPrefix = '89049032';

/** Parses an EID: 32 digits starting `89`, valid iff the number is ≡ 1 (mod 97) (ISO 7064). */
export function parseEid(input: unknown, field = 'eid'): Result<Eid, IdentifierError> {
  if (typeof input !== 'string') {
    return invalid(
      field,
      'type',
      `${field} must be a string of 32 digits, got ${describeType(input)}`,
    );
  }
  if (!isDigits(input)) {
    return invalid(
      field,
      'digits',
      `${field} must contain only digits 0-9: found ${quote(firstNonDigit(input))} in ${quote(input)}`,
    );
  }
  if (input.length !== eidLength) {
    return invalid(field, 'length', `${field} must be ${eidLength} digits, got ${input.length}`);
  }
  if (!input.startsWith('89')) {
    return invalid(
      field,
      'prefix',
      `${field} must start with 89 (the telecom industry identifier), got ${quote(input.slice(0, 2))}`,
    );
  }
  if (mod97(input) !== 1) {
    const expected = mod97CheckDigits(input.slice(0, -2));
    return invalid(
      field,
      'check_digits',
      `${field} must end with ISO 7064 MOD 97-10 check digits: expected ${expected}, got ${input.slice(-2)}`,
    );
  }
  return ok(input as Eid);
}

export function isEid(input: unknown): input is Eid {
  return parseEid(input).ok;
}

export function formatEid(eid: Eid): string {
  return eid;
}

export interface EidOptions {
  /** Leading digits, starting `89`, at most 30 long; defaults to {@link defaultEidPrefix}. */
  readonly prefix?: string;
}

/** A random valid EID: the prefix, random digits up to 30, then the two check digits. */
export function generateEid(random: RandomSource, options: EidOptions = {}): Eid {
  const { prefix = defaultEidPrefix } = options;
  if (!/^89[0-9]{0,28}$/.test(prefix)) {
    throw new RangeError(`generateEid needs a prefix of 2 to 30 digits starting 89, got ${prefix}`);
  }
  const payload = `${prefix}${randomDigits(random, eidLength - 2 - prefix.length)}`;
  return `${payload}${mod97CheckDigits(payload)}` as Eid;
}
