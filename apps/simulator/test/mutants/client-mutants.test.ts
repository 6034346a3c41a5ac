import type { TopupStrategy } from '@esimlab/client';
import { mutantStrategies } from '@esimlab/harness';
import { describe, expect, it } from 'vitest';
import type { SimulationViolationKind } from '../../src/model/simulation-violation.ts';
import { checkSimulation } from '../../src/property/simulation-property.ts';
import type { SimulationRunOptions } from '../../src/run-options.ts';
import { CI_RUNS } from '../support/ci-profile.ts';

interface MutantCase {
  readonly strategy: TopupStrategy;
  readonly options: Omit<SimulationRunOptions, 'strategy'>;
  readonly finds: SimulationViolationKind;
}

// A reset after the commit loses the answer of a purchase that went through: every mutant
// then buys a second time. Boosts only, so the one-pass rule does not refuse the second buy.
const lostAnswers = {
  faultKinds: ['reset-after-commit'],
  paymentMethods: ['pm_card_visa'],
  addonKinds: ['boost'],
} as const;

const mutants: readonly MutantCase[] = [
  {
    // Each retry is a new key, so no audit join ties the purchases to one intent: the
    // balance, credited once per purchase, is what gives it away.
    strategy: mutantStrategies['fresh-key-retry'],
    options: { apiStyle: 'idempotent', ...lostAnswers },
    finds: 'balance_mismatch',
  },
  {
    strategy: mutantStrategies['reference-blind-retry'],
    options: { apiStyle: 'reference', ...lostAnswers },
    finds: 'duplicate_charge',
  },
  {
    strategy: mutantStrategies['timeout-buys-again'],
    options: { apiStyle: 'idempotent', ...lostAnswers },
    finds: 'balance_mismatch',
  },
];

describe('a client mutant from the harness is caught within the CI run count', () => {
  for (const mutant of mutants) {
    it(`${mutant.strategy.name}: ${mutant.finds}, with a short replayable counterexample`, async () => {
      const check = await checkSimulation(
        { ...mutant.options, strategy: mutant.strategy },
        { numRuns: CI_RUNS, seed: 1 },
      );

      const failure = check.failure;
      expect(failure?.verdict?.violations.map((v) => v.kind)).toContain(mutant.finds);
      expect(failure?.verdict?.timeline.length).toBeLessThanOrEqual(6);
      expect(failure?.replayCommand).toContain(`--strategy ${mutant.strategy.name}`);
    });
  }
});
