import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  formatBinaryBytes,
  formatDecimalBytes,
  GB,
  GiB,
  gibibytes,
  gigabytes,
  mebibytes,
  megabytes,
} from './data-size.ts';

describe('data sizes', () => {
  it('keeps decimal and binary units apart', () => {
    expect(gigabytes(5)).toBe(5_000_000_000);
    expect(gibibytes(5)).toBe(5_368_709_120);
    expect(megabytes(500)).toBe(500_000_000);
    expect(mebibytes(1)).toBe(1_048_576);
  });

  it('accepts fractions that land on whole bytes and rejects the rest', () => {
    expect(gigabytes(1.5)).toBe(1_500_000_000);
    expect(() => megabytes(0.0000001)).toThrow(RangeError);
    expect(() => gigabytes(-1)).toThrow(RangeError);
  });

  it('formats for humans in either system', () => {
    expect(formatDecimalBytes(gigabytes(5))).toBe('5 GB');
    expect(formatBinaryBytes(gigabytes(5))).toBe('4.66 GiB');
    expect(formatDecimalBytes(999)).toBe('999 B');
  });

  test.prop([fc.integer({ min: 0, max: 10_000 })])('whole gigabytes are whole bytes', (n) => {
    expect(gigabytes(n)).toBe(n * GB);
    expect(gibibytes(n)).toBe(n * GiB);
    expect(Number.isSafeInteger(gigabytes(n))).toBe(true);
  });
});
