import { seededRandom } from '@esimlab/domain';
import { describe, expect, it } from 'vitest';
import { backoffCeilingMs, backoffDelayMs } from './backoff.ts';

const policy = { baseDelayMs: 100, maxDelayMs: 5_000 };

/** Runs `property` on 1 000 cases drawn from a seeded source; a failure names its case. */
function forAll(seed: number, property: (draw: () => number, run: number) => void): void {
  const random = seededRandom(seed);
  for (let run = 0; run < 1000; run++) property(() => random.next(), run);
}

describe('backoffCeilingMs', () => {
  it('doubles from the base delay until it reaches the maximum', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((retry) => backoffCeilingMs(retry, policy))).toEqual([
      100, 200, 400, 800, 1600, 3200, 5000, 5000,
    ]);
  });

  it('stays at the maximum for any number of retries, however large', () => {
    expect(backoffCeilingMs(5000, policy)).toBe(5000);
    expect(backoffCeilingMs(Number.MAX_SAFE_INTEGER, policy)).toBe(5000);
  });

  it('is zero when there is no base delay', () => {
    expect(backoffCeilingMs(10, { baseDelayMs: 0, maxDelayMs: 0 })).toBe(0);
  });
});

describe('backoffDelayMs (full jitter)', () => {
  it('always draws between zero and the ceiling of its retry', () => {
    forAll(1, (draw) => {
      const retry = Math.floor(draw() * 20);
      const delay = backoffDelayMs(retry, policy, draw);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(backoffCeilingMs(retry, policy));
    });
  });

  it('is the random draw scaled to the ceiling: jitter spans the whole range', () => {
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(400);
    expect(backoffDelayMs(3, policy, () => 0.999)).toBeCloseTo(799.2);
  });

  it('never retries sooner than Retry-After, even past the maximum delay', () => {
    forAll(2, (draw) => {
      const retry = Math.floor(draw() * 20);
      const retryAfterMs = Math.floor(draw() * 60_000);
      const delay = backoffDelayMs(retry, policy, draw, retryAfterMs);
      expect(delay).toBeGreaterThanOrEqual(retryAfterMs);
      expect(delay).toBeLessThan(Math.max(retryAfterMs, backoffCeilingMs(retry, policy)) + 1);
    });
  });

  it('gives the same delays for the same seed, so a run can be replayed', () => {
    const delays = (seed: number) => {
      const random = seededRandom(seed);
      return [0, 1, 2, 3, 4].map((retry) => backoffDelayMs(retry, policy, () => random.next()));
    };
    expect(delays(42)).toEqual(delays(42));
    expect(delays(42)).not.toEqual(delays(43));
  });
});
