import { err } from '../../result.ts';
import type { IdentifierError, IdentifierRule } from '../identifier-error.ts';

export function identifierError(
  field: string,
  rule: IdentifierRule,
  message: string,
): IdentifierError {
  return { code: 'invalid_identifier', field, rule, message };
}

export function invalid(
  field: string,
  rule: IdentifierRule,
  message: string,
): { readonly ok: false; readonly error: IdentifierError } {
  return err(identifierError(field, rule, message));
}

/** Quotes a rejected value for a message, cut short so a huge input cannot flood a log. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

export function describeType(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  const type = typeof input;
  if (type === 'undefined') return 'undefined';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

export function isDigits(value: string): boolean {
  return /^[0-9]*$/.test(value);
}

/** The first character that is not a decimal digit, for messages. */
export function firstNonDigit(value: string): string {
  return value.match(/[^0-9]/u)?.[0] ?? '';
}
