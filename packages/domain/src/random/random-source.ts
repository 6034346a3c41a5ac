/**
 * A source of randomness passed in as a parameter, so that every generator in the domain
 * is reproducible from a seed. Carriers inject a seeded source in tests and simulation.
 */
export interface RandomSource {
  /** A uniformly distributed float in [0, 1). */
  next(): number;
}

/** A uniformly distributed integer in [0, maxExclusive). */
export function randomInt(random: RandomSource, maxExclusive: number): number {
  if (!Number.isSafeInteger(maxExclusive) || maxExclusive <= 0) {
    throw new RangeError(`randomInt needs a positive integer bound, got ${maxExclusive}`);
  }
  return Math.floor(random.next() * maxExclusive);
}

/** A string of `length` random decimal digits (leading zeros allowed). */
export function randomDigits(random: RandomSource, length: number): string {
  let digits = '';
  for (let i = 0; i < length; i++) digits += String(randomInt(random, 10));
  return digits;
}

/**
 * sfc32 seeded through splitmix32: small, fast, and good enough for test data. Not for
 * secrets: API keys and webhook secrets come from the platform's CSPRNG at the edge.
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  const splitmix = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  return {
    next() {
      const t = (((a + b) >>> 0) + d) >>> 0;
      d = (d + 1) >>> 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) >>> 0;
      c = ((c << 21) | (c >>> 11)) >>> 0;
      c = (c + t) >>> 0;
      return t / 4294967296;
    },
  };
}
