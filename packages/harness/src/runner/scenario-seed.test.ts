import { describe, expect, it } from 'vitest';
import { scenarioSeed } from './scenario-seed.ts';

describe('scenarioSeed', () => {
  it('is the same for the same run seed and name, so a run replays', () => {
    expect(scenarioSeed(42, 'double tap')).toBe(scenarioSeed(42, 'double tap'));
  });

  it('differs between scenarios and between run seeds', () => {
    const seeds = new Set(
      [1, 2, 3].flatMap((run) => ['a', 'b', 'double tap'].map((name) => scenarioSeed(run, name))),
    );
    expect(seeds.size).toBe(9);
  });

  it("keeps a scenario's own seed", () => {
    expect(scenarioSeed(42, 'double tap', 7)).toBe(7);
  });

  it('is a 32-bit unsigned integer', () => {
    const seed = scenarioSeed(2 ** 32 - 1, 'x'.repeat(200));
    expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32).toBe(true);
  });
});
