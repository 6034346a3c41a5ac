import type { RunVerdict } from '../run-verdict.ts';

/** Thrown by the property when a run's verdict is not ok, carrying the verdict. */
export class SimulationFailure extends Error {
  override readonly name = 'SimulationFailure';
  readonly verdict: RunVerdict;

  constructor(verdict: RunVerdict) {
    super(
      `run ${verdict.seed} found ${verdict.violations.length} violation${verdict.violations.length === 1 ? '' : 's'}:\n${verdict.violations
        .map((v) => `  - ${v.kind}: ${v.message}`)
        .join('\n')}`,
    );
    this.verdict = verdict;
  }
}
