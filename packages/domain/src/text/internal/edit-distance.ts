/**
 * Optimal string alignment distance: the fewest insertions, deletions, substitutions and swaps
 * of two neighbouring characters that turn `a` into `b`. Swaps count as one edit because they
 * are the commonest typo (`--rtae` for `--rate`), which plain Levenshtein charges as two.
 * No substring is edited twice, so unlike Levenshtein this is not a metric: it breaks the
 * triangle inequality (`ca` → `ac` → `abc` costs 2, `ca` → `abc` costs 3).
 */
export function editDistance(a: string, b: string): number {
  const cols = b.length + 1;
  const d = new Array<number>((a.length + 1) * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i <= a.length; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, at(i - 2, j - 2) + 1);
      }
      d[i * cols + j] = value;
    }
  }
  return at(a.length, b.length);
}
