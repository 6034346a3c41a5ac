/** The Luhn (ISO/IEC 7812-1) check digit to append to a string of decimal digits. */
export function luhnCheckDigit(digits: string): number {
  if (!/^[0-9]*$/.test(digits))
    throw new RangeError(`luhnCheckDigit needs decimal digits, got ${digits}`);
  let sum = 0;
  // Counting from the right, the digit next to the (future) check digit is doubled first.
  let double = true;
  for (let i = digits.length - 1; i >= 0; i--) {
    let digit = digits.charCodeAt(i) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return (10 - (sum % 10)) % 10;
}

/** Whether the last digit is the Luhn check digit of the digits before it. */
export function isLuhnValid(digits: string): boolean {
  if (!/^[0-9]+$/.test(digits)) return false;
  return luhnCheckDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;
}
