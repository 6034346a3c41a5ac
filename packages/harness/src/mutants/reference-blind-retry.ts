import { type TopupSession, type TopupStrategy, topupStrategies } from '@esimlab/client';

/**
 * MUTANT. The reference style, except that after a lost answer it buys again at once with
 * the same clientReference instead of waiting and looking it up: what a client does that
 * leaves retries to its HTTP library. When the lost answer was for a purchase that went
 * through, the reference is bought twice. The checker must report `duplicate_charge` (the
 * carrier's own audit flags two captured top-ups carrying one clientReference).
 */
export const referenceBlindRetry: TopupStrategy = {
  ...topupStrategies.reference,
  name: 'reference-blind-retry',
  purchase: (session) => topupStrategies.reference.purchase(blindToEarlierPurchases(session)),
};

function blindToEarlierPurchases(session: TopupSession): TopupSession {
  return {
    ...session,
    // The bug: it never asks the carrier; every "lookup" finds nothing, without waiting.
    lookup: async () => ({ ok: true, value: [] }),
    settleMs: () => 0,
  };
}
