import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { closestMatch, suggestionBudget } from './closest-match.ts';
import { editDistance } from './internal/edit-distance.ts';

const letters = fc.constantFrom('a', 'b', 'c', 'd', 'A', '-');
const word = fc.string({ unit: letters, maxLength: 9 });
const candidates = fc.array(word, { maxLength: 8 });
const distanceOf = (w: string, c: string): number => editDistance(w.toLowerCase(), c.toLowerCase());

/** One typo of `w`: a deletion, an insertion, a substitution or a swap of neighbours at `i`. */
const typoOf = fc
  .tuple(
    fc.string({ unit: letters, minLength: 3, maxLength: 9 }),
    fc.nat(),
    letters,
    fc.constantFrom('delete', 'insert', 'substitute', 'swap'),
  )
  .map(([w, n, letter, kind]) => {
    const i = n % (w.length - 1);
    const typo =
      kind === 'delete'
        ? w.slice(0, i) + w.slice(i + 1)
        : kind === 'insert'
          ? w.slice(0, i) + letter + w.slice(i)
          : kind === 'substitute'
            ? w.slice(0, i) + letter + w.slice(i + 1)
            : `${w.slice(0, i)}${w[i + 1]}${w[i]}${w.slice(i + 2)}`;
    return { meant: w, typo };
  });

describe('closestMatch', () => {
  it('suggests what the real typos meant', () => {
    expect(closestMatch('rtae', ['carrier', 'rate', 'duration'])).toBe('rate');
    expect(closestMatch('pln', ['as', 'esim', 'plan'])).toBe('plan');
    expect(closestMatch('topups', ['topup', 'wait', 'activate'])).toBe('topup');
    expect(closestMatch('atx', ['att', 'tmobile', 'verizon'])).toBe('att');
    expect(closestMatch('Latancy', ['error', 'latency'])).toBe('latency');
    expect(closestMatch('crash-points', ['crash-point', 'carriers'])).toBe('crash-point');
  });

  it('suggests nothing when every candidate is too far to be a helpful guess', () => {
    expect(closestMatch('xy', ['at', 'ab'])).toBeUndefined();
    expect(closestMatch('sqlite', ['store', 'host', 'help'])).toBeUndefined();
    expect(closestMatch('anything', [])).toBeUndefined();
  });

  it('prefers the exact spelling, then another case, then the first of equally close ones', () => {
    expect(closestMatch('plan', ['Plan', 'plan'])).toBe('plan');
    expect(closestMatch('PLAN', ['plans', 'Plan', 'plan'])).toBe('Plan');
    expect(closestMatch('cat', ['bat', 'hat'])).toBe('bat');
  });

  test.prop([candidates.filter((cs) => cs.length > 0), fc.nat()])(
    'returns the word itself when it is one of the candidates',
    (cs, n) => {
      const meant = cs[n % cs.length] ?? '';
      expect(closestMatch(meant, cs)).toBe(meant);
    },
  );

  test.prop([word, candidates])(
    'suggests a candidate within the budget, and none is closer',
    (w, cs) => {
      const guess = closestMatch(w, cs);
      const within = cs.filter((c) => distanceOf(w, c) <= suggestionBudget(w));
      if (guess === undefined) {
        expect(within).toEqual([]);
        return;
      }
      expect(cs).toContain(guess);
      expect(distanceOf(w, guess)).toBeLessThanOrEqual(suggestionBudget(w));
      for (const c of cs) expect(distanceOf(w, c)).toBeGreaterThanOrEqual(distanceOf(w, guess));
    },
  );

  test.prop([typoOf])(
    'recognises one typo in a word of three letters or more',
    ({ meant, typo }) => {
      expect(closestMatch(typo, [meant])).toBe(meant);
    },
  );

  test.prop([word, word])('tolerates at least one edit, and more in a longer word', (w, extra) => {
    expect(suggestionBudget(w)).toBeGreaterThanOrEqual(1);
    expect(suggestionBudget(w + extra)).toBeGreaterThanOrEqual(suggestionBudget(w));
    expect(suggestionBudget(w)).toBeLessThanOrEqual(Math.max(1, w.length / 3));
  });
});
