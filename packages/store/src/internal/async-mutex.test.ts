import { describe, expect, it } from 'vitest';
import { AsyncMutex } from './async-mutex.ts';

describe('AsyncMutex', () => {
  it('runs work one at a time in call order, and goes on after a failure', async () => {
    const mutex = new AsyncMutex();
    const events: string[] = [];
    const step = (name: string, fail = false) =>
      mutex.runExclusive(async () => {
        events.push(`${name} start`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        events.push(`${name} end`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([step('a'), step('b', true), step('c')]);
    expect(events).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
