import { err, ok, type Result } from '../result.ts';

/** Currencies the carriers bill in. All three are US carriers, so only USD for now. */
export const currencies = ['USD'] as const;
export type Currency = (typeof currencies)[number];

/** An amount of money as integer minor units (cents for USD): never a float. */
export interface Money {
  readonly amount: number;
  readonly currency: Currency;
}

export interface MoneyError {
  readonly code: 'invalid_money';
  readonly field: string;
  readonly message: string;
}

/** Builds money from integer minor units, rejecting fractions and unsafe integers. */
export function money(
  amount: number,
  currency: Currency = 'USD',
  field = 'amount',
): Result<Money, MoneyError> {
  if (!Number.isSafeInteger(amount)) {
    return err({
      code: 'invalid_money',
      field,
      message: `${field} must be an integer number of minor units (cents), got ${amount}`,
    });
  }
  return ok({ amount, currency });
}

/** Dollars and cents as minor units, for readable catalogs: `usd(10, 0)` is $10.00. */
export function usd(dollars: number, cents = 0): Money {
  const amount = dollars * 100 + cents;
  if (
    !Number.isInteger(dollars) ||
    !Number.isInteger(cents) ||
    cents < 0 ||
    cents > 99 ||
    !Number.isSafeInteger(amount)
  ) {
    throw new RangeError(`usd(${dollars}, ${cents}) is not a whole number of cents`);
  }
  return { amount, currency: 'USD' };
}

export const zero = (currency: Currency = 'USD'): Money => ({ amount: 0, currency });

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new TypeError(`cannot combine ${a.currency} with ${b.currency}`);
  }
}

export function addMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return { amount: a.amount + b.amount, currency: a.currency };
}

export function subtractMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return { amount: a.amount - b.amount, currency: a.currency };
}

export function sumMoney(amounts: readonly Money[], currency: Currency = 'USD'): Money {
  return amounts.reduce(addMoney, zero(currency));
}

export function isSameMoney(a: Money, b: Money): boolean {
  return a.amount === b.amount && a.currency === b.currency;
}

/** `$12.34`, for logs and reports. */
export function formatMoney(m: Money): string {
  const sign = m.amount < 0 ? '-' : '';
  const abs = Math.abs(m.amount);
  return `${sign}$${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
