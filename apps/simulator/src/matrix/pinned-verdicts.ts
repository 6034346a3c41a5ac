import { readFile } from 'node:fs/promises';
import type { MatrixCell } from './matrix-cell.ts';

/** The published table, at the package's root. */
export const safetyMatrixUrl = new URL('../../safety-matrix.md', import.meta.url);

/**
 * Every cell's verdict and counterexample, as the committed table was made: JSON Lines, the
 * run settings first, then one cell a line, so a change to one cell is a one-line diff.
 */
export const pinnedVerdictsUrl = new URL('./pinned-verdicts.jsonl', import.meta.url);

export interface PinnedVerdicts {
  readonly numRuns: number;
  readonly seed: number;
  readonly cells: readonly MatrixCell[];
}

export function formatPinnedVerdicts(pinned: PinnedVerdicts): string {
  const header = JSON.stringify({ numRuns: pinned.numRuns, seed: pinned.seed });
  return `${[header, ...pinned.cells.map((cell) => JSON.stringify(cell))].join('\n')}\n`;
}

/** Reads the committed verdicts, which the tests hold every cell to. */
export async function readPinnedVerdicts(): Promise<PinnedVerdicts> {
  const [header, ...cells] = (await readFile(pinnedVerdictsUrl, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
  const settings = header as Pick<PinnedVerdicts, 'numRuns' | 'seed'> | undefined;
  if (settings === undefined) throw new Error(`${pinnedVerdictsUrl.pathname} is empty`);
  return { numRuns: settings.numRuns, seed: settings.seed, cells: cells as MatrixCell[] };
}
