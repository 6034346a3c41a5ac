import { editDistance } from './internal/edit-distance.ts';

/**
 * How many edits a guess for `word` may be away: about one per three letters, so `pln` finds
 * `plan` and `--rtae` finds `--rate`, but a two-letter word is never "corrected" into another.
 */
export const suggestionBudget = (word: string): number => Math.max(1, Math.floor(word.length / 3));

/**
 * The candidate a user most likely meant by `word` (a typo, a swap, a plural, another case),
 * for a "did you mean" hint; undefined when nothing is close enough to be a helpful guess.
 * An exact match wins, then one differing only in case; among equally close ones, the first.
 */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.includes(word)) return word;
  const lower = word.toLowerCase();
  const budget = suggestionBudget(word);
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= budget && (best === undefined || distance < best.distance)) {
      best = { candidate, distance };
    }
  }
  return best?.candidate;
}
