import { describe, expect, it } from 'vitest';
import { repeatEvery } from './repeat-every.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('repeatEvery', () => {
  it('runs one at a time, skipping ticks while a run goes on, and stop waits for it', async () => {
    let started = 0;
    let finished = 0;
    const repeating = repeatEvery(
      5,
      async () => {
        started += 1;
        await sleep(40);
        finished += 1;
      },
      () => {},
    );
    await sleep(25);
    expect(started).toBe(1);
    await repeating.stop();
    expect(finished).toBe(1);
    await sleep(20);
    expect(started).toBe(1);
  });

  it('hands a failed run to onError and runs again on the next tick', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const repeating = repeatEvery(
      5,
      async () => {
        runs += 1;
        throw new Error(`run ${runs}`);
      },
      (error) => errors.push(error),
    );
    await sleep(40);
    await repeating.stop();
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(errors).toHaveLength(runs);
    expect((errors[0] as Error).message).toBe('run 1');
  });
});
