import { err, ok, type Result } from '../result.ts';
import { wallClockFormatter } from './internal/wall-clock.ts';

/** An IANA time zone name the runtime knows, e.g. `America/New_York`. */
export type TimeZone = string & { readonly __brand: 'TimeZone' };

export interface TimeZoneError {
  readonly code: 'invalid_time_zone';
  readonly field: string;
  readonly message: string;
}

// Region/City names (and UTC). Abbreviations such as `EST` or offsets such as `-05:00` are
// refused: they ignore DST, and Intl maps `EST` to America/Panama, which surprises everyone.
const IANA_NAME = /^(?:UTC|[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)+)$/;
const MAX_NAME_LENGTH = 64;

let canonicalSpellings: Map<string, string> | undefined;

// Intl matches names case-insensitively; hand back the tz database spelling when there is one.
function canonicalSpelling(name: string): string {
  canonicalSpellings ??= new Map(
    Intl.supportedValuesOf('timeZone').map((zone) => [zone.toLowerCase(), zone]),
  );
  return canonicalSpellings.get(name.toLowerCase()) ?? name;
}

/** Validates an IANA time zone name; `field` names the input in the error. */
export function parseTimeZone(input: unknown, field: string): Result<TimeZone, TimeZoneError> {
  const fix = `use an IANA time zone name such as \`America/New_York\` or \`America/Los_Angeles\``;
  if (typeof input !== 'string') {
    return err({
      code: 'invalid_time_zone',
      field,
      message: `${field} must be a string; ${fix}`,
    });
  }
  const shown = input.length > MAX_NAME_LENGTH ? `${input.slice(0, MAX_NAME_LENGTH)}…` : input;
  if (input.length > MAX_NAME_LENGTH || !IANA_NAME.test(input)) {
    return err({
      code: 'invalid_time_zone',
      field,
      message: `${field} \`${shown}\` is not a Region/City time zone name (abbreviations and offsets ignore DST); ${fix}`,
    });
  }
  try {
    wallClockFormatter(input);
  } catch {
    return err({
      code: 'invalid_time_zone',
      field,
      message: `${field} \`${shown}\` is not a known time zone; ${fix}`,
    });
  }
  return ok(canonicalSpelling(input) as TimeZone);
}
