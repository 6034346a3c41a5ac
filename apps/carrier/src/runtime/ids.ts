import { type RandomSource, randomInt } from '@esimlab/domain';

/** Makes resource ids such as `ch_3k9x...`. Injected so simulations get reproducible ids. */
export interface IdGenerator {
  next(prefix: string): string;
}

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Ids from a random source: a prefix and 20 base-36 characters (~103 bits). */
export function randomIds(random: RandomSource): IdGenerator {
  return {
    next(prefix) {
      let id = '';
      for (let i = 0; i < 20; i++) id += alphabet[randomInt(random, alphabet.length)];
      return `${prefix}_${id}`;
    },
  };
}
