import { seededRandom } from '@esimlab/domain';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { sortableIds } from './ids.ts';

const idPattern = /^tu_[0-9a-z]{20}$/;

describe('sortableIds', () => {
  test.prop([
    fc.array(fc.integer({ min: 0, max: 100_000_000_000_000 }), { minLength: 2, maxLength: 30 }),
    fc.integer(),
  ])('sort as the clock times they were made at', (times, seed) => {
    const sorted = [...times].sort((a, b) => a - b);
    let at = 0;
    const ids = sortableIds({ now: () => sorted[at] ?? 0 }, seededRandom(seed));
    const made = sorted.map((_, index) => {
      at = index;
      return ids.next('tu');
    });
    for (const id of made) expect(id).toMatch(idPattern);
    for (let i = 1; i < made.length; i++) {
      const [earlier, later] = [made[i - 1] as string, made[i] as string];
      if ((sorted[i - 1] as number) < (sorted[i] as number)) expect(earlier < later).toBe(true);
    }
  });

  it('tells apart ids made in the same millisecond, and repeats them for the same seed', () => {
    const clock = { now: () => 1_764_115_200_000 };
    const make = (seed: number) => {
      const ids = sortableIds(clock, seededRandom(seed));
      return Array.from({ length: 1_000 }, () => ids.next('evt'));
    };
    expect(new Set(make(7)).size).toBe(1_000);
    expect(make(7)).toEqual(make(7));
    expect(make(8)).not.toEqual(make(7));
  });
});
