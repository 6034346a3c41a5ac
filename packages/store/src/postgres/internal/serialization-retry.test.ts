import { describe, expect, it } from 'vitest';
import { maxRetryDelayMs, retryDelayMs } from './serialization-retry.ts';

describe('retryDelayMs', () => {
  it('waits up to a cap that doubles per attempt from 2 ms, and stops growing at its maximum', () => {
    const longest = (attempt: number) => retryDelayMs(attempt, () => 1);
    expect([1, 2, 3, 4].map(longest)).toEqual([2, 4, 8, 16]);
    expect(longest(20)).toBe(maxRetryDelayMs);
  });

  it('spreads waits over the whole range, so colliding processes drift apart', () => {
    expect(retryDelayMs(3, () => 0)).toBe(0);
    expect(retryDelayMs(3, () => 0.5)).toBe(4);
  });
});
