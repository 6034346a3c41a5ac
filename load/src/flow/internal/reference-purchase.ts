import type { LookupAnswer, PurchaseSession } from '../purchase-session.ts';
import type { PurchaseStrategy } from '../purchase-strategy.ts';
import type { TopupAnswer, TopupView } from '../topup-answer.ts';
import { awaitSettled } from './await-settled.ts';
import { gaveUp } from './keyed-purchase.ts';

type Lookup =
  | { readonly status: 'found'; readonly topup: TopupView }
  | { readonly status: 'absent' }
  | { readonly status: 'unreachable'; readonly code: string };

/**
 * `reference` style, no idempotency: one clientReference per intent. After a lost answer it
 * waits the settle interval (longer than the carrier's maximum processing time), then looks
 * the reference up; only when nothing is found does it buy again. If it cannot look up, it
 * stops (`unknown`) rather than risk a second purchase.
 */
export const referencePurchase: PurchaseStrategy = {
  name: 'client-reference',
  async purchase(session) {
    const reference = session.intentKey;
    let lastCode = '';
    let retries = 0;
    for (let attempt = 0; attempt < session.policy.maxAttempts; attempt++) {
      const answer = await session.create({ clientReference: reference });
      if (answer.type === 'topup') return awaitSettled(session, answer.topup);
      if (answer.failure === 'rejected') return { status: 'failed', code: answer.code };
      lastCode = answer.code;
      if (answer.failure === 'ambiguous') {
        const found = await lookUp(session, reference, answer);
        if (found.status === 'found') return awaitSettled(session, found.topup);
        if (found.status === 'unreachable') return gaveUp(attempt + 1, found.code);
        // Absent after the settle interval: nothing was bought, and the wait is done.
        continue;
      }
      if (attempt + 1 < session.policy.maxAttempts) {
        await session.sleep(session.backoffMs(retries++, answer.retryAfterMs));
      }
    }
    return gaveUp(session.policy.maxAttempts, lastCode);
  },
};

async function lookUp(
  session: PurchaseSession,
  reference: string,
  cause: Extract<TopupAnswer, { type: 'failure' }>,
): Promise<Lookup> {
  // A 2xx came before the body was cut: the purchase committed, nothing is left in flight.
  if (!cause.committed) {
    await session.sleep(Math.max(session.settleMs(), cause.retryAfterMs ?? 0));
  }
  let last: LookupAnswer | undefined;
  for (let attempt = 0; attempt < session.policy.maxAttempts; attempt++) {
    if (attempt > 0) {
      const retryAfterMs = last?.type === 'failure' ? last.retryAfterMs : undefined;
      await session.sleep(session.backoffMs(attempt - 1, retryAfterMs));
    }
    last = await session.lookup(reference);
    if (last.type === 'list') return choose(last.topups);
    if (last.failure === 'rejected') break;
  }
  return { status: 'unreachable', code: last?.type === 'failure' ? last.code : 'lookup_failed' };
}

/** The purchase among the top-ups carrying the reference (newest first). */
function choose(topups: readonly TopupView[]): Lookup {
  const decisive =
    topups.find((t) => t.status === 'succeeded') ??
    topups.find((t) => t.status === 'pending') ??
    // A retryable decline (processing_error) bought nothing and invites another try.
    topups.find((t) => t.status === 'failed' && t.failureCode !== 'processing_error');
  return decisive === undefined ? { status: 'absent' } : { status: 'found', topup: decisive };
}
