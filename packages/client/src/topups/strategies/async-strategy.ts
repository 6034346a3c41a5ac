import { awaitTopupCompletion } from '../await-completion.ts';
import type { TopupStrategy } from '../topup-strategy.ts';
import { idempotentStrategy } from './idempotent-strategy.ts';
import { purchaseWithKey } from './internal/keyed-purchase.ts';

/**
 * Asynchronous top-ups: bought like the idempotent style (one key per intent), answered
 * 202 pending, completed later. The outcome comes from the `topup.succeeded`/`topup.failed`
 * webhook when the session can wait for events, else from polling `GET /v1/topups/{id}`;
 * still pending at `asyncDeadlineMs`, it is `unknown`.
 */
export const asyncStrategy: TopupStrategy = {
  name: 'async',
  apiStyle: 'async',
  identify: idempotentStrategy.identify,
  async purchase(session) {
    const bought = await purchaseWithKey(session);
    if (bought.status === 'settled') return bought.outcome;
    return awaitTopupCompletion(session, bought.topup, { webhooks: true });
  },
};
