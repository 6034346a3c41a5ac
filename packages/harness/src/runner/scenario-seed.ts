/**
 * The seed of one scenario in a run: the scenario's own `seed:` when it has one, else a hash
 * of the run seed and the scenario's name, so `--seed` replays every scenario of a run and
 * adding a scenario does not change the others' seeds.
 */
export function scenarioSeed(runSeed: number, name: string, own?: number): number {
  if (own !== undefined) return own;
  // FNV-1a over the name, then the run seed, each through an avalanche so that nearby run
  // seeds (1, 2, 3) give unrelated scenario seeds.
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return avalanche(avalanche(hash) ^ avalanche(runSeed >>> 0));
}

/** A run seed when none is given: any 32-bit integer, printed so the run can be replayed. */
export const freshRunSeed = (): number => Math.floor(Math.random() * 2 ** 32);

// The murmur3 finaliser: every input bit flips about half the output bits.
function avalanche(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
