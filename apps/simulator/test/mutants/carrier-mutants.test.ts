import { describe, expect, it } from 'vitest';
import { captureFirstSagaCarrier } from '../../src/carrier/mutants/capture-first-saga-carrier.ts';
import { memoryIdempotencyCarrier } from '../../src/carrier/mutants/memory-idempotency-carrier.ts';
import { memoryOutboxCarrier } from '../../src/carrier/mutants/memory-outbox-carrier.ts';
import { runOptionsFromFlags } from '../../src/cli/run-arguments.ts';
import type { SimulationViolationKind } from '../../src/model/simulation-violation.ts';
import { checkSimulation } from '../../src/property/simulation-property.ts';
import type { SimulationRunOptions } from '../../src/run-options.ts';
import { CI_RUNS } from '../support/ci-profile.ts';

interface MutantCase {
  readonly name: string;
  readonly options: SimulationRunOptions;
  readonly finds: SimulationViolationKind;
}

/**
 * Each broken carrier meets the faults that expose it, the paying card only. Boosts only for
 * the forgotten keys: a second pass bought under a forgotten key is refused by the one-pass
 * rule, which hides the second charge the mutant is about.
 */
const mutants: readonly MutantCase[] = [
  {
    name: 'keeps its idempotency records only in memory',
    options: {
      apiStyle: 'idempotent',
      carrierBuild: memoryIdempotencyCarrier,
      faultKinds: ['crash'],
      paymentMethods: ['pm_card_visa'],
      addonKinds: ['boost'],
    },
    finds: 'duplicate_charge',
  },
  {
    name: 'captures before crediting and does not recover',
    options: {
      apiStyle: 'idempotent',
      carrierBuild: captureFirstSagaCarrier,
      faultKinds: ['crash'],
      paymentMethods: ['pm_card_visa'],
    },
    finds: 'lost_topup',
  },
  {
    name: 'keeps its webhook outbox only in memory',
    options: {
      apiStyle: 'idempotent',
      carrierBuild: memoryOutboxCarrier,
      faultKinds: ['crash', 'webhook-drop'],
      paymentMethods: ['pm_card_visa'],
    },
    finds: 'event_not_delivered',
  },
];

/** A shrunk counterexample is a story a person reads: a handful of commands. */
const MAX_COUNTEREXAMPLE_COMMANDS = 6;

describe('a carrier mutant is caught within the CI run count', () => {
  for (const mutant of mutants) {
    it(`that ${mutant.name}: ${mutant.finds}, with a short replayable counterexample`, async () => {
      const check = await checkSimulation(mutant.options, { numRuns: CI_RUNS, seed: 1 });

      const failure = check.failure;
      expect(failure?.verdict?.violations.map((v) => v.kind)).toContain(mutant.finds);
      expect(failure?.verdict?.timeline.length).toBeLessThanOrEqual(MAX_COUNTEREXAMPLE_COMMANDS);
      expect(failure?.replayCommand).toContain(
        `--carrier-build ${mutant.options.carrierBuild?.name}`,
      );

      // A replay names the build, as the printed command does, and finds the same violation.
      if (!failure) return;
      const replayed = await checkSimulation(
        {
          ...mutant.options,
          ...runOptionsFromFlags(
            { 'carrier-build': mutant.options.carrierBuild?.name },
            'idempotent',
          ),
        },
        { numRuns: 1, ...failure.point, endOnFailure: true },
      );
      expect(replayed.failure?.verdict?.violations).toEqual(failure.verdict?.violations);
    });
  }

  it('while the standard carrier passes the same runs', async () => {
    for (const mutant of mutants) {
      const { carrierBuild: _, ...standard } = mutant.options;
      const check = await checkSimulation(standard, { numRuns: 30, seed: 1 });
      expect(check.failure?.report).toBeUndefined();
    }
  });
});
