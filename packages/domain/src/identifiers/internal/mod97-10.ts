/**
 * ISO 7064 MOD 97-10 over decimal strings, one digit at a time so the remainder stays a
 * small integer: a 32-digit EID is far beyond Number.MAX_SAFE_INTEGER.
 */
export function mod97(digits: string): number {
  if (!/^[0-9]*$/.test(digits)) throw new RangeError(`mod97 needs decimal digits, got ${digits}`);
  let remainder = 0;
  for (let i = 0; i < digits.length; i++) {
    remainder = (remainder * 10 + (digits.charCodeAt(i) - 48)) % 97;
  }
  return remainder;
}

/** The two check digits (02-98) that make `payload` followed by them ≡ 1 (mod 97). */
export function mod97CheckDigits(payload: string): string {
  return String(98 - mod97(`${payload}00`)).padStart(2, '0');
}

/** Whether a digit string, check digits included, is ≡ 1 (mod 97). */
export function isMod97Valid(digits: string): boolean {
  return /^[0-9]+$/.test(digits) && mod97(digits) === 1;
}
