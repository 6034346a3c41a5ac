import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { addMoney, formatMoney, money, subtractMoney, sumMoney, usd } from './money.ts';

const cents = fc.integer({ min: -1_000_000_000, max: 1_000_000_000 });

describe('money', () => {
  it('rejects fractional minor units, naming the field', () => {
    const result = money(10.5, 'USD', 'price.amount');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.field).toBe('price.amount');
      expect(result.error.message).toContain('integer');
    }
  });

  it('builds dollars and cents exactly', () => {
    expect(usd(19, 99)).toEqual({ amount: 1999, currency: 'USD' });
    expect(() => usd(1, 100)).toThrow(RangeError);
    expect(() => usd(0.5)).toThrow(RangeError);
  });

  it('formats as dollars with two decimals', () => {
    expect(formatMoney(usd(5))).toBe('$5.00');
    expect(formatMoney({ amount: -7, currency: 'USD' })).toBe('-$0.07');
  });

  test.prop([cents, cents])('adds and subtracts as exact inverses', (a, b) => {
    const x = { amount: a, currency: 'USD' as const };
    const y = { amount: b, currency: 'USD' as const };
    expect(subtractMoney(addMoney(x, y), y)).toEqual(x);
  });

  test.prop([fc.array(cents, { maxLength: 50 })])('sums to the integer total', (amounts) => {
    const total = sumMoney(amounts.map((amount) => ({ amount, currency: 'USD' as const })));
    expect(total.amount).toBe(amounts.reduce((s, a) => s + a, 0));
    expect(Number.isInteger(total.amount)).toBe(true);
  });
});
