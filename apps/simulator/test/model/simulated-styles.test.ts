import type { ApiStyle } from '@esimlab/domain';
import { describe, expect, it } from 'vitest';
import { checkSimulation } from '../../src/property/simulation-property.ts';
import {
  CI_PROFILE_MS,
  CI_RUNS,
  CI_SEED,
  reportFailure,
  SharedBudget,
} from '../support/ci-profile.ts';

const styles: readonly ApiStyle[] = ['idempotent', 'reference', 'async'];

/**
 * All three styles' runs, one after another, within the CI profile's 120 s (the real-socket
 * runs, in another file, go on at the same time under the same limit). A run takes about 8 ms
 * of one core here, so 3,000 runs need about 25 s alone; the margin is for CI running another
 * package's suite on the other core.
 */
const budget = new SharedBudget(CI_PROFILE_MS);

/** A test's own timeout: the whole budget, plus shrinking a failure and the run in flight. */
const TEST_TIMEOUT_MS = CI_PROFILE_MS + 60_000;

describe('the reference client against a simulated carrier (CI profile)', () => {
  for (const style of styles) {
    it(
      `never double-charges or loses a top-up in the ${style} style, whatever the faults, crashes and webhook mishaps`,
      async () => {
        const check = await checkSimulation(
          { apiStyle: style },
          { numRuns: CI_RUNS, timeLimitMs: budget.next(), ...CI_SEED },
        );

        expect(reportFailure(check)).toBeUndefined();
        expect(
          check.numRuns,
          'simulated runs completed within the time budget',
        ).toBeGreaterThanOrEqual(CI_RUNS);
      },
      TEST_TIMEOUT_MS,
    );
  }
});
