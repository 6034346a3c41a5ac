import type { Topup } from '../../../contract/topup.ts';
import type { CarrierRequestError } from '../../../errors/carrier-request-error.ts';
import {
  classifyTopupFailure,
  exhaustedOutcome,
  gaveUpOutcome,
  isDefiniteDecline,
  rejectedOutcome,
  retryAfterOf,
} from '../../topup-failure.ts';
import type { TopupOutcome } from '../../topup-outcome.ts';
import type { TopupSession } from '../../topup-session.ts';

/** A purchase request the carrier answered with a top-up, or an outcome already known. */
export type KeyedPurchase =
  | { readonly status: 'created'; readonly topup: Topup }
  | { readonly status: 'settled'; readonly outcome: TopupOutcome };

/**
 * Buys with the session's identifiers on every attempt, so the carrier's `Idempotency-Key`
 * turns each retry into a replay of the first purchase rather than a second one. Every
 * failure but a rejection is retried after a backoff, up to `maxAttempts`.
 */
export async function purchaseWithKey(session: TopupSession): Promise<KeyedPurchase> {
  const { policy, identifiers } = session;
  if (identifiers.idempotencyKey === undefined) {
    throw new TypeError('a key-based strategy must identify its purchases with an idempotencyKey');
  }
  let last: CarrierRequestError | undefined;
  for (let attempt = 0; attempt < policy.maxAttempts; attempt++) {
    if (attempt > 0) await session.sleep(session.backoffDelayMs(attempt - 1, retryAfterOf(last)));
    const call = await session.create(identifiers);
    if (call.ok) return { status: 'created', topup: call.value.topup };
    last = call.error;
    if (classifyTopupFailure(call.error) === 'rejected') {
      return { status: 'settled', outcome: rejectedOutcome(call.error) };
    }
  }
  // A processing_error is the carrier's own answer for this key: had an earlier request
  // (in this call or an earlier one for the intent) bought under it, the key would have
  // replayed that purchase. A 429 or a refused connection says nothing about earlier ones.
  return {
    status: 'settled',
    outcome: isDefiniteDecline(last)
      ? exhaustedOutcome(last)
      : gaveUpOutcome(policy.maxAttempts, last),
  };
}

/** The intent's key: the one it was given, else one derived from its id. */
export const idempotencyKeyOf = (purchase: {
  readonly intentId: string;
  readonly idempotencyKey?: string;
}): string => purchase.idempotencyKey ?? `topup-${purchase.intentId}`;
