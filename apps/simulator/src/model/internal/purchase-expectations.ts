import type { TopupOutcome } from '@esimlab/client';
import { paymentMethodBehaviour, type TestPaymentMethod } from '../payment-methods.ts';
import type { IntentStatus } from '../simulation-model.ts';
import { violated } from '../simulation-violation.ts';

export interface PurchaseExpectation {
  readonly intentId: string;
  /** What the client's requests got, for the report. */
  readonly requests: string;
  /** The eSIM's label, for the report. */
  readonly esim: string;
  readonly paymentMethod: TestPaymentMethod;
  /** The carrier sells one pass at a time and this eSIM has one with data: true, false, or not known. */
  readonly passRefused: boolean | 'unknown';
  /** Faults or an armed crash point may have kept the answer from the client. */
  readonly underFaults: boolean;
  readonly planId: string;
  readonly dataBytes: number;
  readonly bonusBytes: number;
}

const PASS_REFUSAL = 'pass_already_active';

/**
 * What a client may conclude once it runs out of attempts and knows none went through (every
 * one turned away at the door: a 429, a refused connection while the carrier restarts; or,
 * in the reference style, each lost answer followed by a lookup that found nothing): `failed`,
 * with the last problem the fault layer answered, or none. The audit checks nothing was charged.
 */
const EXHAUSTED_CODES: readonly (string | undefined)[] = [
  'rate_limited',
  'upstream_unavailable',
  'internal_error',
  undefined,
];

/**
 * Checks a purchase's outcome against what the model allows and returns its status:
 * - a succeeding card ends ok, with the plan's data and the promotion bonus; or failed with
 *   `pass_already_active` when a pass with data left is (or may be) in the way;
 * - a declining card ends failed with its decline code; a retryable decline ends failed with
 *   it once the client stops retrying, or unknown (both say nothing was charged; the audit checks);
 * - under faults or a possible crash, any purchase may also end unknown, or failed when every
 *   attempt was turned away at the door; never otherwise.
 */
export function judgePurchase(expected: PurchaseExpectation, outcome: TopupOutcome): IntentStatus {
  const behaviour = paymentMethodBehaviour[expected.paymentMethod];
  const { intentId } = expected;
  const fail = (why: string): never =>
    violated(
      'unexpected_outcome',
      `intent ${intentId} (${expected.esim}, ${expected.planId}, ${expected.paymentMethod}) ended ${describe(outcome)} [${expected.requests}]: ${why} (pass in the way: ${expected.passRefused})`,
      [intentId],
    );

  switch (outcome.status) {
    case 'unknown':
      if (expected.underFaults) return 'unknown';
      if (behaviour.kind === 'retryable' && expected.passRefused !== true) return 'unknown';
      return fail(
        'nothing stood between the client and the carrier, so it should know the outcome',
      );
    case 'failed': {
      const code = outcome.problem?.code ?? outcome.topup?.failureCode;
      // The one-pass rule is checked before any payment, where it refuses whatever the card,
      // and again when a paid pass comes to be credited.
      if (code === PASS_REFUSAL && expected.passRefused !== false) return 'failed';
      if (expected.underFaults && EXHAUSTED_CODES.includes(code)) return 'failed';
      if (expected.passRefused === true) return fail('a pass with data left was in the way');
      if (behaviour.kind !== 'succeeds' && code === behaviour.code) return 'failed';
      return fail(
        behaviour.kind === 'succeeds'
          ? 'the card pays and no pass was in the way'
          : `the card's answer is ${behaviour.code}`,
      );
    }
    case 'ok': {
      if (expected.passRefused === true) return fail('a pass with data left was in the way');
      if (behaviour.kind !== 'succeeds') return fail(`the card's answer is ${behaviour.code}`);
      const { topup } = outcome;
      if (
        topup.planId !== expected.planId ||
        topup.dataBytes !== expected.dataBytes ||
        topup.bonusBytes !== expected.bonusBytes
      ) {
        return fail(
          `expected ${expected.planId} with ${expected.dataBytes} + ${expected.bonusBytes} bonus bytes, got ${topup.planId} with ${topup.dataBytes} + ${topup.bonusBytes}`,
        );
      }
      return 'ok';
    }
  }
}

function describe(outcome: TopupOutcome): string {
  switch (outcome.status) {
    case 'ok':
      return `ok (top-up ${outcome.topup.id})`;
    case 'failed':
      return `failed (${outcome.problem?.code ?? outcome.topup?.failureCode ?? 'no code'})`;
    case 'unknown':
      return `unknown (${outcome.reason})`;
  }
}
