import type { ApiStyle } from '@esimlab/domain';
import type { FaultKind } from '@esimlab/faults';
import type { SimulationViolationKind } from '../model/simulation-violation.ts';

/** One (API style × client strategy × fault kind) combination and what its runs found. */
export interface MatrixCell {
  readonly style: ApiStyle;
  /** The client strategy's name, as `namedStrategies` knows it. */
  readonly strategy: string;
  readonly fault: FaultKind;
  readonly verdict: 'safe' | 'unsafe';
  /** Runs made: all of them when safe; up to the first failure when unsafe. */
  readonly runs: number;
  readonly counterexample?: MatrixCounterexample;
}

/** The shrunk run that made a cell unsafe, and where fast-check found it. */
export interface MatrixCounterexample {
  readonly violations: readonly SimulationViolationKind[];
  /** The first violation's message: what went wrong, in the carrier's words. */
  readonly summary: string;
  /** What happened, one line per command. */
  readonly commands: readonly string[];
  readonly seed: number;
  readonly path: string;
  readonly replayPath?: string;
  readonly replayCommand: string;
}

/** The cell's options key, `style/strategy/fault`. */
export const cellKey = (cell: Pick<MatrixCell, 'style' | 'strategy' | 'fault'>): string =>
  `${cell.style}/${cell.strategy}/${cell.fault}`;
