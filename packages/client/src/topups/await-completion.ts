import type { Topup } from '../contract/topup.ts';
import { isTopupEvent } from '../contract/webhook.ts';
import type { CarrierRequestError } from '../errors/carrier-request-error.ts';
import { classifyTopupFailure, retryAfterOf } from './topup-failure.ts';
import { outcomeOfTopup, type TopupOutcome } from './topup-outcome.ts';
import type { TopupSession } from './topup-session.ts';

/**
 * The outcome of a top-up once it is no longer pending: at once for a finished one;
 * otherwise from its webhook (when `webhooks` and the session can wait for events), then by
 * polling `GET /v1/topups/{id}` with backoff, until `asyncDeadlineMs` (then `unknown`).
 */
export async function awaitTopupCompletion(
  session: TopupSession,
  topup: Topup,
  options: { readonly webhooks: boolean },
): Promise<TopupOutcome> {
  const settled = outcomeOfTopup(topup);
  if (settled) return settled;
  const deadline = session.now() + session.policy.asyncDeadlineMs;

  if (options.webhooks && session.waitForEvent) {
    const event = await session.waitForEvent(topup.id, Math.max(0, deadline - session.now()));
    if (event && isTopupEvent(event) && event.data.id === topup.id) {
      const outcome = outcomeOfTopup(event.data);
      if (outcome) return outcome;
    }
    // No event in time: ask the carrier before giving up, the webhook may just be late.
  }

  let last: CarrierRequestError | undefined;
  for (let poll = 0; ; poll++) {
    const call = await session.poll(topup.id);
    if (call.ok) {
      const outcome = outcomeOfTopup(call.value);
      if (outcome) return outcome;
      last = undefined;
    } else {
      last = call.error;
      if (classifyTopupFailure(call.error) === 'rejected') {
        return {
          status: 'unknown',
          reason: `top-up ${topup.id} was accepted (pending), then could not be read: ${call.error.message}`,
        };
      }
    }
    const remaining = deadline - session.now();
    if (remaining <= 0) break;
    await session.sleep(Math.min(remaining, session.backoffDelayMs(poll, retryAfterOf(last))));
  }
  return {
    status: 'unknown',
    reason: `top-up ${topup.id} was still pending after ${session.policy.asyncDeadlineMs} ms${last === undefined ? '' : ` (last poll: ${last.message})`}; it may yet complete: check GET /v1/topups/${topup.id}`,
  };
}
