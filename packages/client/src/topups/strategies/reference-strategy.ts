import type { Topup } from '../../contract/topup.ts';
import { CarrierNetworkError } from '../../errors/carrier-network-error.ts';
import type { CarrierRequestError } from '../../errors/carrier-request-error.ts';
import { awaitTopupCompletion } from '../await-completion.ts';
import {
  classifyTopupFailure,
  exhaustedOutcome,
  gaveUpOutcome,
  rejectedOutcome,
  retryAfterOf,
} from '../topup-failure.ts';
import type { TopupSession } from '../topup-session.ts';
import type { TopupStrategy } from '../topup-strategy.ts';

/** What looking up the clientReference found. */
type Lookup =
  | { readonly status: 'found'; readonly topup: Topup }
  | { readonly status: 'absent' }
  | { readonly status: 'unreachable'; readonly error: CarrierRequestError | undefined };

/**
 * Resellers without idempotency keys: one `clientReference` per intent. After a lost answer
 * (a network error, a timeout, a 5xx) it waits the settle interval, longer than the
 * carrier's maximum processing time, then looks the reference up: a top-up found is the
 * answer; only when none is found does it buy again. If it cannot look up, it stops
 * (`unknown`) rather than risk a second purchase.
 */
export const referenceStrategy: TopupStrategy = {
  name: 'reference',
  apiStyle: 'reference',
  identify: (purchase) => ({
    clientReference: purchase.clientReference ?? `topup-${purchase.intentId}`,
  }),
  async purchase(session) {
    const { policy, identifiers } = session;
    const reference = identifiers.clientReference;
    if (reference === undefined) {
      throw new TypeError(
        'the reference strategy must identify its purchases with a clientReference',
      );
    }
    let last: CarrierRequestError | undefined;
    let retries = 0;
    // Set when a lookup after the settle interval found nothing: nothing was bought under the
    // reference up to then, whatever earlier calls for this intent did.
    let confirmedAbsent = false;
    for (let attempt = 0; attempt < policy.maxAttempts; attempt++) {
      const call = await session.create({ clientReference: reference });
      if (call.ok) return awaitTopupCompletion(session, call.value.topup, { webhooks: false });
      last = call.error;
      const failure = classifyTopupFailure(call.error);
      if (failure === 'rejected') return rejectedOutcome(call.error);
      if (failure === 'ambiguous') {
        const found = await lookUpPurchase(session, reference, call.error);
        if (found.status === 'found') {
          return awaitTopupCompletion(session, found.topup, { webhooks: false });
        }
        if (found.status === 'unreachable') {
          return gaveUpOutcome(attempt + 1, found.error ?? call.error, 'purchase and lookup');
        }
        // Absent after the settle interval: nothing was bought, and the wait is done.
        confirmedAbsent = true;
        continue;
      }
      if (attempt + 1 < policy.maxAttempts) {
        await session.sleep(session.backoffDelayMs(retries++, retryAfterOf(call.error)));
      }
    }
    // After a lookup found nothing, every later attempt was looked up too or turned away before
    // it was processed: nothing was bought. Without such a lookup in this call, an earlier call
    // for the same intent may have bought.
    return confirmedAbsent ? exhaustedOutcome(last) : gaveUpOutcome(policy.maxAttempts, last);
  },
};

async function lookUpPurchase(
  session: TopupSession,
  reference: string,
  cause: CarrierRequestError,
): Promise<Lookup> {
  // The carrier already said 2xx before the body was cut: the purchase committed, and
  // nothing is left in flight to wait for.
  const committed =
    cause instanceof CarrierNetworkError &&
    cause.httpStatus !== undefined &&
    cause.httpStatus >= 200 &&
    cause.httpStatus < 300;
  if (!committed) {
    await session.sleep(Math.max(session.settleMs(), retryAfterOf(cause) ?? 0));
  }
  let last: CarrierRequestError | undefined;
  for (let attempt = 0; attempt < session.policy.maxAttempts; attempt++) {
    if (attempt > 0) await session.sleep(session.backoffDelayMs(attempt - 1, retryAfterOf(last)));
    const call = await session.lookup(reference);
    if (call.ok) return choose(call.value);
    last = call.error;
    if (classifyTopupFailure(call.error) === 'rejected') break;
  }
  return { status: 'unreachable', error: last };
}

/** The purchase among the top-ups carrying the reference (newest first). */
function choose(topups: readonly Topup[]): Lookup {
  const decisive =
    topups.find((t) => t.status === 'succeeded') ??
    topups.find((t) => t.status === 'pending') ??
    // A retryable decline (processing_error) bought nothing and invites another try.
    topups.find((t) => t.status === 'failed' && t.failureCode !== 'processing_error');
  return decisive === undefined ? { status: 'absent' } : { status: 'found', topup: decisive };
}
