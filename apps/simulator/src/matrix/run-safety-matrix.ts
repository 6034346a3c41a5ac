import type { ApiStyle } from '@esimlab/domain';
import type { FaultKind } from '@esimlab/faults';
import { namedStrategies } from '../property/run-catalog.ts';
import { checkSimulation } from '../property/simulation-property.ts';
import type { SimulationRunOptions } from '../run-options.ts';
import type { MatrixCell } from './matrix-cell.ts';
import { matrixFaults, matrixStrategies, matrixStyles } from './matrix-dimensions.ts';

export interface SafetyMatrixOptions {
  /** Runs per cell; a cell with no failure among them is safe. */
  readonly numRuns: number;
  /** fast-check's seed, the same for every cell, so the matrix is reproducible. */
  readonly seed: number;
  /** Told about each cell as it is decided (progress). */
  readonly onCell?: (cell: MatrixCell) => void;
}

/** The run options of one cell: the style's own carrier, one client, one fault kind. */
export function cellRunOptions(
  style: ApiStyle,
  strategy: string,
  fault: FaultKind,
): SimulationRunOptions {
  const topupStrategy = namedStrategies.get(strategy);
  if (topupStrategy === undefined) throw new Error(`no client strategy is named ${strategy}`);
  return { apiStyle: style, strategy: topupStrategy, faultKinds: [fault] };
}

/**
 * Decides one cell: checks its property for `numRuns` runs and, on a failure, keeps the
 * shrunk counterexample and where it was found.
 */
export async function runMatrixCell(
  style: ApiStyle,
  strategy: string,
  fault: FaultKind,
  options: Pick<SafetyMatrixOptions, 'numRuns' | 'seed'>,
): Promise<MatrixCell> {
  const check = await checkSimulation(cellRunOptions(style, strategy, fault), {
    numRuns: options.numRuns,
    seed: options.seed,
  });
  const cell = { style, strategy, fault, runs: check.numRuns };
  const failure = check.failure;
  if (!failure) return { ...cell, verdict: 'safe' };
  const violations = failure.verdict?.violations ?? [];
  return {
    ...cell,
    verdict: 'unsafe',
    counterexample: {
      violations: [...new Set(violations.map((v) => v.kind))],
      summary: violations[0]?.message ?? failure.report.split('\n').slice(0, 6).join(' '),
      commands: failure.verdict?.timeline ?? [],
      seed: failure.point.seed,
      path: failure.point.path,
      ...(failure.point.replayPath === undefined ? {} : { replayPath: failure.point.replayPath }),
      replayCommand: failure.replayCommand,
    },
  };
}

/** Every (style × strategy × fault) cell, one after another, in table order. */
export async function runSafetyMatrix(options: SafetyMatrixOptions): Promise<MatrixCell[]> {
  const cells: MatrixCell[] = [];
  for (const style of matrixStyles) {
    for (const strategy of matrixStrategies) {
      for (const fault of matrixFaults) {
        const cell = await runMatrixCell(style, strategy.name, fault, options);
        options.onCell?.(cell);
        cells.push(cell);
      }
    }
  }
  return cells;
}
