import { type RandomSource, randomInt } from '@esimlab/domain';
import type { Clock } from './clock.ts';

/** Makes resource ids such as `ch_3k9x...`. Injected so simulations get reproducible ids. */
export interface IdGenerator {
  next(prefix: string): string;
}

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
const TIME_CHARS = 9;
const RANDOM_CHARS = 11;

/**
 * Ids that sort by the carrier clock's time of creation: a prefix, then 20 base-36 characters,
 * 9 for the milliseconds (enough until the year 5188) and 11 random (~57 bits, for ids made
 * in the same millisecond). Random ids would land all over every primary-key index, so each
 * insert would dirty a page of its own for the commit to write; these append at the end.
 */
export function sortableIds(clock: Clock, random: RandomSource): IdGenerator {
  return {
    next(prefix) {
      let id = Math.max(0, Math.trunc(clock.now())).toString(36).padStart(TIME_CHARS, '0');
      for (let i = 0; i < RANDOM_CHARS; i++) id += alphabet[randomInt(random, alphabet.length)];
      return `${prefix}_${id}`;
    },
  };
}
