import { describe, expect, it } from 'vitest';
import { Slots } from './slots.ts';

describe('Slots', () => {
  it('runs at most its size at once, the rest in the order they came, and frees a slot on failure', async () => {
    const slots = new Slots(2);
    let running = 0;
    let most = 0;
    const began: number[] = [];
    const releases: (() => void)[] = [];
    const jobs = [0, 1, 2, 3, 4].map((n) =>
      slots.run(async () => {
        began.push(n);
        running += 1;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running -= 1;
        if (n === 1) throw new Error('job 1 failed');
        return n;
      }),
    );
    // Handled from the start: job 1's failure is expected.
    const settled = Promise.allSettled(jobs);
    // Every promise reaction queued so far has run by the next macrotask.
    const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
    await settle();
    expect(began).toEqual([0, 1]);
    releases[1]?.();
    await settle();
    expect(began).toEqual([0, 1, 2]);
    for (let i = 0; i < 5; i++) {
      releases.shift()?.();
      await settle();
    }
    for (const release of releases) release();
    const results = await settled;
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    expect(began).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });
});
