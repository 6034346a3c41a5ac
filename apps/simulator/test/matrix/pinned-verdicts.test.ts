import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { cellKey, type MatrixCell } from '../../src/matrix/matrix-cell.ts';
import {
  matrixFaults,
  matrixStrategies,
  matrixStyles,
} from '../../src/matrix/matrix-dimensions.ts';
import { readPinnedVerdicts, safetyMatrixUrl } from '../../src/matrix/pinned-verdicts.ts';
import { renderSafetyMatrix } from '../../src/matrix/render-safety-matrix.ts';
import { cellRunOptions } from '../../src/matrix/run-safety-matrix.ts';
import { checkSimulation } from '../../src/property/simulation-property.ts';

const pinned = await readPinnedVerdicts();

/**
 * Runs a safe cell gets here: the first runs of the matrix's own (same seed, so the same
 * runs). The matrix made 100 per cell; all of them here would take minutes of CI.
 */
const SAFE_CELL_RUNS = 8;

const options = (cell: MatrixCell) => cellRunOptions(cell.style, cell.strategy, cell.fault);

describe('the published safety matrix', () => {
  it('covers every (API style × client strategy × fault kind) cell once', () => {
    const expected = matrixStyles.flatMap((style) =>
      matrixStrategies.flatMap((strategy) =>
        matrixFaults.map((fault) => cellKey({ style, strategy: strategy.name, fault })),
      ),
    );
    expect(pinned.cells.map(cellKey)).toEqual(expected);
  });

  it('is the table rendered from the pinned verdicts', async () => {
    expect(await readFile(safetyMatrixUrl, 'utf8')).toBe(renderSafetyMatrix(pinned.cells, pinned));
  });

  it('keeps every unsafe cell unsafe: its shrunk counterexample still fails the same way', async () => {
    const changed: string[] = [];
    for (const cell of pinned.cells.filter((c) => c.verdict === 'unsafe')) {
      const example = cell.counterexample;
      if (!example) throw new Error(`${cellKey(cell)} is unsafe without a counterexample`);
      const replayed = await checkSimulation(options(cell), {
        numRuns: 1,
        seed: example.seed,
        path: example.path,
        ...(example.replayPath === undefined ? {} : { replayPath: example.replayPath }),
        endOnFailure: true,
      });
      const kinds = [...new Set(replayed.failure?.verdict?.violations.map((v) => v.kind) ?? [])];
      if (kinds.join() !== example.violations.join()) {
        changed.push(
          `${cellKey(cell)}: pinned ${example.violations.join(', ')}; now ${kinds.join(', ') || 'safe'}`,
        );
      }
    }
    expect(changed).toEqual([]);
  }, 60_000);

  it('keeps every safe cell safe, the reference clients included', async () => {
    const broken: string[] = [];
    for (const cell of pinned.cells.filter((c) => c.verdict === 'safe')) {
      const check = await checkSimulation(options(cell), {
        numRuns: SAFE_CELL_RUNS,
        seed: pinned.seed,
        endOnFailure: true,
      });
      if (check.failed) broken.push(`${cellKey(cell)}: ${check.failure?.replayCommand ?? 'threw'}`);
    }
    expect(broken).toEqual([]);
  }, 120_000);
});
