import { awaitTopupCompletion } from '../await-completion.ts';
import type { TopupStrategy } from '../topup-strategy.ts';
import { idempotencyKeyOf, purchaseWithKey } from './internal/keyed-purchase.ts';

/**
 * Stripe-style: one `Idempotency-Key` per intent, reused on every retry, so a retried
 * purchase replays the first one's answer instead of buying again. A top-up still pending
 * (the carrier switched to the async style) is polled to its end.
 */
export const idempotentStrategy: TopupStrategy = {
  name: 'idempotent',
  apiStyle: 'idempotent',
  identify: (purchase) => ({
    idempotencyKey: idempotencyKeyOf(purchase),
    ...(purchase.clientReference === undefined
      ? {}
      : { clientReference: purchase.clientReference }),
  }),
  async purchase(session) {
    const bought = await purchaseWithKey(session);
    if (bought.status === 'settled') return bought.outcome;
    return awaitTopupCompletion(session, bought.topup, { webhooks: false });
  },
};
