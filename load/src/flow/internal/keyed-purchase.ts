import type { PurchaseOutcome, PurchaseStrategy } from '../purchase-strategy.ts';
import { awaitSettled } from './await-settled.ts';

/**
 * `idempotent` and `async` styles: one Idempotency-Key per intent, sent on every retry, so a
 * retry after a lost answer replays the first purchase instead of buying again. Everything
 * but a rejection is retried after a backoff; a pending top-up is polled to its end.
 */
export const keyedPurchase: PurchaseStrategy = {
  name: 'idempotency-key',
  async purchase(session) {
    const identifiers = {
      idempotencyKey: `topup-${session.intentKey}`,
      clientReference: session.intentKey,
    };
    let lastCode = '';
    for (let attempt = 0; attempt < session.policy.maxAttempts; attempt++) {
      const answer = await session.create(identifiers);
      if (answer.type === 'topup') return awaitSettled(session, answer.topup);
      if (answer.failure === 'rejected') return { status: 'failed', code: answer.code };
      lastCode = answer.code;
      if (attempt + 1 < session.policy.maxAttempts) {
        await session.sleep(session.backoffMs(attempt, answer.retryAfterMs));
      }
    }
    return gaveUp(session.policy.maxAttempts, lastCode);
  },
};

export const gaveUp = (requests: number, lastCode: string): PurchaseOutcome => ({
  status: 'unknown',
  reason: `no definite answer after ${requests} purchase requests (last: ${lastCode}); the top-up may or may not have gone through`,
});
