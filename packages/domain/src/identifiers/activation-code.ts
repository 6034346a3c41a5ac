import { type RandomSource, randomInt } from '../random/random-source.ts';
import { err, ok, type Result } from '../result.ts';
import type { IdentifierError } from './identifier-error.ts';
import { fqdnProblem } from './internal/fqdn.ts';
import { describeType, identifierError, invalid } from './internal/invalid.ts';

/**
 * A GSMA SGP.22 activation code, as carried in an eSIM QR code:
 * `LPA:1$<SM-DP+ FQDN>$<matching id>[$<SM-DP+ OID>[$1]]`.
 */
export interface ActivationCode {
  readonly smdpAddress: string;
  readonly matchingId: string;
  /**
   * Absent when the code has no OID field; `''` when the field is present but empty, as in
   * `...$$1`, so that formatting a parsed code gives back the exact input.
   */
  readonly smdpOid?: string;
  /** The trailing `$1`: the user must also enter a confirmation code, delivered separately. */
  readonly confirmationCodeRequired: boolean;
}

const scheme = 'LPA:';
const formatVersion = '1';
const oidPattern = /^[0-9]+(?:\.[0-9]+)*$/;

/**
 * Parses an activation code. Messages never echo the matching id or a would-be confirmation
 * code: both are credentials for downloading the profile and error messages end up in logs.
 */
export function parseActivationCode(
  input: unknown,
  field = 'activationCode',
): Result<ActivationCode, IdentifierError> {
  if (typeof input !== 'string') {
    return invalid(
      field,
      'type',
      `${field} must be a string like LPA:1$smdp.example.com$MATCHING-ID, got ${describeType(input)}`,
    );
  }
  if (!input.startsWith(scheme)) {
    return invalid(
      field,
      'prefix',
      `${field} must start with ${scheme}1$ (the QR-code form of an SGP.22 activation code)`,
    );
  }
  const [version, smdpAddress, matchingId, smdpOid, flag, ...extra] = input
    .slice(scheme.length)
    .split('$');
  if (version !== formatVersion) {
    return invalid(
      field,
      'format',
      `${field} must use activation code format 1 (LPA:1$...), got format ${JSON.stringify(version?.slice(0, 8))}`,
    );
  }
  if (smdpAddress === undefined || matchingId === undefined) {
    return invalid(
      field,
      'fields',
      `${field} must have an SM-DP+ address and a matching id: LPA:1$<SM-DP+ address>$<matching id>`,
    );
  }
  if (extra.length > 0) {
    return invalid(
      field,
      'fields',
      `${field} has ${5 + extra.length} $-separated fields, at most 5 are allowed: LPA:1$<SM-DP+ address>$<matching id>$<SM-DP+ OID>$1`,
    );
  }
  if (flag !== undefined && flag !== '1') {
    return invalid(
      field,
      'confirmation_code',
      `${field} may only end in $1 (confirmation code required) after the OID; never put the confirmation code itself in the activation code, send it to the user separately`,
    );
  }
  const code: ActivationCode = {
    smdpAddress,
    matchingId,
    ...(smdpOid === undefined ? {} : { smdpOid }),
    confirmationCodeRequired: flag === '1',
  };
  const problem = activationCodeProblem(code, field);
  return problem ? err(problem) : ok(code);
}

/** The QR-code text for an activation code; throws if a field would not survive parsing. */
export function formatActivationCode(code: ActivationCode): string {
  const problem = activationCodeProblem(code, 'activationCode');
  if (problem) throw new RangeError(problem.message);
  let text = `${scheme}${formatVersion}$${code.smdpAddress}$${code.matchingId}`;
  if (code.smdpOid !== undefined || code.confirmationCodeRequired) text += `$${code.smdpOid ?? ''}`;
  if (code.confirmationCodeRequired) text += '$1';
  return text;
}

function activationCodeProblem(code: ActivationCode, field: string): IdentifierError | undefined {
  const addressProblem = fqdnProblem(code.smdpAddress);
  if (addressProblem !== undefined) {
    return identifierError(
      field,
      'fqdn',
      `${field} must have an SM-DP+ address that is a fully qualified domain name like smdp.example.com, but ${addressProblem}`,
    );
  }
  if (code.matchingId.length === 0) {
    return identifierError(
      field,
      'matching_id',
      `${field} must have a non-empty matching id after the SM-DP+ address`,
    );
  }
  const badCharacter = code.matchingId.match(/[^A-Z0-9-]/u)?.[0];
  if (badCharacter !== undefined) {
    return identifierError(
      field,
      'matching_id',
      `${field} must have a matching id of upper-case letters, digits and hyphens only (SGP.22), found ${JSON.stringify(badCharacter)}`,
    );
  }
  if (code.smdpOid !== undefined && code.smdpOid !== '' && !oidPattern.test(code.smdpOid)) {
    return identifierError(
      field,
      'oid',
      `${field} must have an SM-DP+ OID of dot-separated numbers like 1.3.6.1.4.1.31746 (or an empty field) after the matching id; a $ inside a matching id also lands here, and is not allowed`,
    );
  }
  return undefined;
}

const matchingIdAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A random matching id like `K3Q9-7ZDA-0M2X-P4TB`: 16 upper-case alphanumerics, about 82 bits. */
export function generateMatchingId(random: RandomSource): string {
  const character = () => matchingIdAlphabet[randomInt(random, matchingIdAlphabet.length)];
  const group = () => Array.from({ length: 4 }, character).join('');
  return Array.from({ length: 4 }, group).join('-');
}
