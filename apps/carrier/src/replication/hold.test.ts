import { describe, expect, it } from 'vitest';
import { TestClock } from '../runtime/clock.ts';
import { isAbandoned, STALLED_AFTER_MS } from './hold.ts';
import type { Replica } from './replica.ts';

const replica = (shared: boolean): Replica => ({
  id: 'att-0-self',
  index: 0,
  shared,
  leaseMs: 10_000,
  heartbeatEveryMs: 1000,
});
const now = 1_800_000_000_000;
const clock = new TestClock(() => now, 86_400_000);
const live = new Set(['att-0-self', 'att-1-alive']);
const shared = { replica: replica(true), clock };

describe('isAbandoned', () => {
  it('treats everything as abandoned for a carrier alone on its store, which recovers only at start-up', () => {
    const alone = { replica: replica(false), clock };
    expect(isAbandoned(alone, live, { replica: 'att-0-self', sinceMs: now })).toBe(true);
    expect(isAbandoned(alone, live, { replica: 'att-1-alive', sinceMs: now })).toBe(true);
  });

  it('leaves work held by another live replica alone, however old the hold', () => {
    expect(isAbandoned(shared, live, { replica: 'att-1-alive', sinceMs: now - 3_600_000 })).toBe(
      false,
    );
  });

  it('takes work held by a replica presumed dead, or by nobody', () => {
    expect(isAbandoned(shared, live, { replica: 'att-2-dead', sinceMs: now })).toBe(true);
    expect(isAbandoned(shared, live, undefined)).toBe(true);
  });

  it('takes its own work back only once stalled, measured in wall time, not the test clock', () => {
    const fresh = { replica: 'att-0-self', sinceMs: now - STALLED_AFTER_MS };
    const stalled = { replica: 'att-0-self', sinceMs: now - STALLED_AFTER_MS - 1 };
    expect(isAbandoned(shared, live, fresh)).toBe(false);
    expect(isAbandoned(shared, live, stalled)).toBe(true);
  });
});
