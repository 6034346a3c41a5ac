import type { SimulationCheck } from '../../src/property/simulation-property.ts';

/**
 * The CI profile's time limit: the simulated runs and the real-socket runs (two files that run
 * at the same time) each stop starting runs once it is spent.
 */
export const CI_PROFILE_MS = 120_000;

/** Runs per API style in CI; `FC_NUM_RUNS` may ask for more (or fewer, locally). */
export const CI_RUNS = Number(process.env.FC_NUM_RUNS ?? 1_000);

/** fast-check's seed, when `FC_SEED` pins one (to replay a CI run); otherwise random. */
export const CI_SEED: { seed?: number } =
  process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) };

/**
 * A time budget shared by properties that run one after another: each may use whatever the
 * ones before it left. No run starts past it (fast-check's `interruptAfterTimeLimit`), so a
 * slow machine cannot overrun CI; a property that ran out of time fails for having made too
 * few runs rather than hanging.
 */
export class SharedBudget {
  readonly #deadline: number;

  constructor(totalMs: number) {
    this.#deadline = Date.now() + totalMs;
  }

  /** The time limit of the next property: what is left of the budget. */
  next(): number {
    return Math.max(1_000, this.#deadline - Date.now());
  }
}

/** Prints a failure's report (seed, path, what happened, the replay command) where CI shows it. */
export function reportFailure(check: SimulationCheck): string | undefined {
  if (check.failure) process.stderr.write(`\n${check.failure.report}\n`);
  return check.failure?.report;
}
