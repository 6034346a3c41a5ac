import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { editDistance } from './edit-distance.ts';

// A small alphabet makes shared letters, repeats and swaps likely.
const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), maxLength: 7 });

/** The textbook recursive definition, written independently of the table-filling code. */
function referenceDistance(a: string, b: string): number {
  const memo = new Map<string, number>();
  const go = (i: number, j: number): number => {
    if (i === 0) return j;
    if (j === 0) return i;
    const key = `${i},${j}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let best = Math.min(
      go(i - 1, j) + 1,
      go(i, j - 1) + 1,
      go(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1),
    );
    if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
      best = Math.min(best, go(i - 2, j - 2) + 1);
    }
    memo.set(key, best);
    return best;
  };
  return go(a.length, b.length);
}

/** Plain Levenshtein: the distance the suggestions used before swaps counted as one edit. */
function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** `w` with the letters at `i` and `i + 1` swapped (i taken modulo the possible positions). */
const swapped = (w: string, i: number): string => {
  const at = i % (w.length - 1);
  return `${w.slice(0, at)}${w[at + 1]}${w[at]}${w.slice(at + 2)}`;
};

describe('editDistance', () => {
  it('counts the edits of known pairs', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('plan', '')).toBe(4);
    expect(editDistance('pln', 'plan')).toBe(1);
    expect(editDistance('--rtae', '--rate')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('att-prot', 'att-port')).toBe(1);
  });

  test.prop([word, word])('agrees with the recursive definition', (a, b) => {
    expect(editDistance(a, b)).toBe(referenceDistance(a, b));
  });

  test.prop([word, word])('is symmetric', (a, b) => {
    expect(editDistance(a, b)).toBe(editDistance(b, a));
  });

  test.prop([word, word])('is zero exactly when the words are equal', (a, b) => {
    expect(editDistance(a, a)).toBe(0);
    expect(editDistance(a, b) === 0).toBe(a === b);
  });

  test.prop([word, word])('lies between the length difference and the longer length', (a, b) => {
    const distance = editDistance(a, b);
    expect(distance).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
    expect(distance).toBeLessThanOrEqual(Math.max(a.length, b.length));
  });

  test.prop([word, word])('is never more than Levenshtein, nor less than half of it', (a, b) => {
    const distance = editDistance(a, b);
    expect(distance).toBeLessThanOrEqual(levenshtein(a, b));
    expect(2 * distance).toBeGreaterThanOrEqual(levenshtein(a, b));
  });

  test.prop([word.filter((w) => w.length >= 2), fc.nat()])(
    'counts a swap of two neighbouring letters as one edit',
    (w, i) => {
      const typo = swapped(w, i);
      expect(editDistance(w, typo)).toBe(typo === w ? 0 : 1);
    },
  );

  it('charges a swap once where Levenshtein charges it twice', () => {
    expect(levenshtein('rate', 'rtae')).toBe(2);
    expect(editDistance('rate', 'rtae')).toBe(1);
  });

  test.prop([word, word, word])('keeps within twice the triangle inequality', (a, b, c) => {
    expect(editDistance(a, c)).toBeLessThanOrEqual(2 * (editDistance(a, b) + editDistance(b, c)));
  });

  it('breaks the plain triangle inequality, as optimal string alignment does', () => {
    // `ca` → `ac` is one swap and `ac` → `abc` one insertion, but no swapped pair may be edited again.
    expect(editDistance('ca', 'ac') + editDistance('ac', 'abc')).toBe(2);
    expect(editDistance('ca', 'abc')).toBe(3);
  });
});
