import type { PurchaseSession } from '../purchase-session.ts';
import type { PurchaseOutcome } from '../purchase-strategy.ts';
import type { TopupView } from '../topup-answer.ts';

/** Async top-ups complete one second after acceptance (PRODUCT.md); polling sooner only adds load. */
const FIRST_POLL_DELAY_MS = 1_000;

/**
 * The outcome of a top-up once it is no longer pending: at once for a finished one, else by
 * polling `GET /v1/topups/{id}` (safe to repeat) until `asyncDeadlineMs`, then `unknown`.
 */
export async function awaitSettled(
  session: PurchaseSession,
  topup: TopupView,
): Promise<PurchaseOutcome> {
  const settled = outcomeOf(topup);
  if (settled) return settled;
  const deadline = session.now() + session.policy.asyncDeadlineMs;
  let retryAfterMs: number | undefined;
  let last = 'still pending';
  for (let poll = 0; ; poll++) {
    const remaining = deadline - session.now();
    if (remaining <= 0) break;
    const wait = poll === 0 ? FIRST_POLL_DELAY_MS : session.backoffMs(poll - 1, retryAfterMs);
    await session.sleep(Math.min(remaining, wait));
    const answer = await session.poll(topup.id);
    if (answer.type === 'topup') {
      const outcome = outcomeOf(answer.topup);
      if (outcome) return outcome;
      retryAfterMs = undefined;
      last = 'still pending';
      continue;
    }
    if (answer.failure === 'rejected') {
      return {
        status: 'unknown',
        reason: `top-up ${topup.id} was accepted, then could not be read (${answer.code})`,
      };
    }
    retryAfterMs = answer.retryAfterMs;
    last = answer.code;
  }
  return {
    status: 'unknown',
    reason: `top-up ${topup.id} was not settled after ${session.policy.asyncDeadlineMs} ms (last poll: ${last})`,
  };
}

function outcomeOf(topup: TopupView): PurchaseOutcome | undefined {
  if (topup.status === 'succeeded') return { status: 'ok', topupId: topup.id };
  if (topup.status === 'failed') return { status: 'failed', code: topup.failureCode ?? 'failed' };
  return undefined;
}
