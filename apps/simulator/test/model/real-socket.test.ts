import type { ApiStyle } from '@esimlab/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSimulation } from '../../src/property/simulation-property.ts';
import { type RealCarrier, startRealCarrier } from '../../src/real-socket/real-carrier.ts';
import {
  realSocketFaultLimits,
  runOnRealCarrier,
} from '../../src/real-socket/run-on-real-carrier.ts';
import { carrierOfStyle } from '../../src/run-options.ts';
import { CI_PROFILE_MS, CI_SEED, reportFailure, SharedBudget } from '../support/ci-profile.ts';

/** Real-socket runs per style: fewer, since their time is real. */
const RUNS = 20;
/** Shorter runs than in simulation: every request, backoff and restart takes real time. */
const MAX_COMMANDS = 12;

const styles: readonly ApiStyle[] = ['idempotent', 'reference', 'async'];
const carriers = new Map<ApiStyle, RealCarrier>();
/** The three styles' real-socket runs, one after another, within the CI profile's limit. */
const budget = new SharedBudget(CI_PROFILE_MS);

beforeAll(async () => {
  const started = await Promise.all(
    styles.map(async (style) => [style, await startRealCarrier(carrierOfStyle(style))] as const),
  );
  for (const [style, carrier] of started) carriers.set(style, carrier);
}, 60_000);

afterAll(async () => {
  await Promise.all([...carriers.values()].map((carrier) => carrier.stop()));
});

describe('the same model and commands over real HTTP against carrier processes', () => {
  for (const style of styles) {
    it(
      `finds the reference client safe in the ${style} style, as the simulation does`,
      async () => {
        const real = carriers.get(style);
        if (!real) throw new Error(`no ${style} carrier started`);
        const check = await checkSimulation(
          {
            apiStyle: style,
            // No slow card or processing error: their waits are seconds of real time.
            paymentMethods: [
              'pm_card_visa',
              'pm_card_mastercard',
              'pm_paypal',
              'pm_card_chargeDeclined',
              'pm_card_insufficientFunds',
            ],
          },
          {
            numRuns: RUNS,
            timeLimitMs: budget.next(),
            maxCommands: MAX_COMMANDS,
            faultLimits: realSocketFaultLimits,
            runner: (options, seed, commands) => runOnRealCarrier(real, options, seed, commands),
            ...CI_SEED,
          },
        );

        expect(reportFailure(check)).toBeUndefined();
        expect(check.numRuns, 'real-socket runs completed within the time budget').toBe(RUNS);
      },
      CI_PROFILE_MS + 60_000,
    );
  }
});
