import {
  type TopupIdentifiers,
  type TopupOutcome,
  type TopupStrategy,
  topupStrategies,
} from '@esimlab/client';

/**
 * MUTANT. Takes a lost answer (a timeout, a dropped connection, a 5xx) for a declined
 * payment and buys again as a new purchase, with a new Idempotency-Key and a new
 * clientReference: what an app does that shows "Payment failed, try again" on any error
 * and lets the user tap Buy again. When the lost answer was for a purchase that went
 * through, the intent is charged twice. The checker must report `duplicate_charge`: the
 * intent's first key and reference and its final top-up name two captured charges.
 */
export const timeoutBuysAgain: TopupStrategy = {
  name: 'timeout-buys-again',
  apiStyle: 'idempotent',
  identify: (purchase) => ({
    ...topupStrategies.idempotent.identify(purchase),
    clientReference: purchase.clientReference ?? `topup-${purchase.intentId}`,
  }),
  async purchase(session) {
    let outcome: TopupOutcome = { status: 'unknown', reason: 'no purchase was tried' };
    for (let round = 1; round <= session.policy.maxAttempts; round++) {
      const identifiers = round === 1 ? session.identifiers : renamed(session.identifiers, round);
      // Each round is one request: the correct strategy, allowed a single attempt.
      outcome = await topupStrategies.idempotent.purchase({
        ...session,
        identifiers,
        policy: { ...session.policy, maxAttempts: 1 },
      });
      // The bug: "unknown" is read as "failed", and a failed purchase is simply made again.
      if (outcome.status !== 'unknown') return outcome;
    }
    return outcome;
  },
};

/** The identifiers of a brand-new purchase, as the app makes for every tap on Buy. */
function renamed(identifiers: TopupIdentifiers, round: number): TopupIdentifiers {
  return {
    ...(identifiers.idempotencyKey === undefined
      ? {}
      : { idempotencyKey: `${identifiers.idempotencyKey}-again-${round}` }),
    ...(identifiers.clientReference === undefined
      ? {}
      : { clientReference: `${identifiers.clientReference}-again-${round}` }),
  };
}
