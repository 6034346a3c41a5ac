import type { PurchaseStrategy } from '../../src/index.ts';

/**
 * A broken client (a mutant): after a lost answer it buys again under a fresh
 * Idempotency-Key, so the carrier cannot tell the retry from a new purchase. The load check
 * must catch it.
 */
export const freshKeyRetry: PurchaseStrategy = {
  name: 'fresh key per attempt (broken)',
  async purchase(session) {
    for (let attempt = 0; attempt < session.policy.maxAttempts; attempt++) {
      const answer = await session.create({
        idempotencyKey: `topup-${session.intentKey}-attempt-${attempt}`,
        clientReference: session.intentKey,
      });
      if (answer.type === 'topup') return { status: 'ok', topupId: answer.topup.id };
      if (answer.failure === 'rejected') return { status: 'failed', code: answer.code };
    }
    return { status: 'unknown', reason: 'gave up' };
  },
};
