import { describe, expect, it } from 'vitest';
import { bytesOf } from './expect-problem.ts';

describe('bytesOf', () => {
  it.each([
    [1234, 1234],
    ['55GB', 55_000_000_000],
    ['500MB', 500_000_000],
    ['1.5GB', 1_500_000_000],
    ['1GiB', 1_073_741_824],
    ['0B', 0],
  ])('%s is %i bytes', (size, bytes) => {
    expect(bytesOf(size)).toBe(bytes);
  });

  it('refuses a size without a unit it knows', () => {
    expect(() => bytesOf('5 gigs')).toThrow(/not a data size/);
  });
});
