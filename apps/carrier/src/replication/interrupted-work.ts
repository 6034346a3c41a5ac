import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../app/carrier-context.ts';
import { onStartup } from '../app/startup-tasks.ts';
import { resumeInterruptedCharges, unsettledPurchases } from '../features/saga/payment-saga.ts';
import { deliverDueWebhooks } from '../features/webhooks/deliver-webhooks.ts';
import { recoverIdempotencyKeys } from '../http/idempotency.ts';
import { repeatEvery } from '../runtime/repeat-every.ts';

/**
 * Finishes the work that nobody is doing any more, in dependency order: first the payment
 * sagas (each charge carried to its capture or void), then the `Idempotency-Key`s their
 * requests held (answered from what the request created, once its payment is settled).
 * At start-up that is whatever a crash interrupted; among replicas, the work of the ones
 * presumed dead, so every replica runs this on `startRecoverySweep`'s timer as well.
 */
export async function recoverInterruptedWork(context: CarrierContext): Promise<void> {
  await resumeInterruptedCharges(context);
  await answerInterruptedRequests(context);
}

/** Passes of `answerInterruptedRequests`; a replica's sweep comes back a second later anyway. */
const ANSWER_PASSES = 3;

/**
 * Answers the keys of requests nobody runs any more. A key whose payment can be finished now
 * waits for it, so that its reply shows the purchase done: those payments are finished here,
 * then the keys are tried again. A payment can become finishable after the saga step ran: an
 * async top-up falls due between the two steps of start-up, and a key left waiting then would
 * answer 409 until it expired (a lone carrier recovers only at start-up).
 */
export async function answerInterruptedRequests(context: CarrierContext): Promise<void> {
  const unsettled = (tx: StoreTx) => unsettledPurchases(tx, context);
  for (let pass = 1; ; pass++) {
    const waiting = await recoverIdempotencyKeys(context, { unsettled });
    if (waiting === 0 || pass === ANSWER_PASSES) return;
    // None of their payments is this replica's to finish (a live one holds them): no pass
    // would answer more.
    if ((await resumeInterruptedCharges(context)) === 0) return;
  }
}

onStartup({
  name: 'payment-saga-recovery',
  phase: 1,
  async run(context) {
    await resumeInterruptedCharges(context);
  },
});
onStartup({ name: 'idempotency-recovery', phase: 2, run: answerInterruptedRequests });

export interface RecoverySweep {
  /** Stops the timer and waits for a sweep in progress and the deliveries it started. */
  stop(): Promise<void>;
}

/** How often each replica looks for abandoned work. */
export const RECOVERY_SWEEP_EVERY_MS = 1000;

/**
 * Each replica on a shared store, every `everyMs`: catches up with the shared settings, takes
 * over sagas and keys left by replicas presumed dead, and kicks the webhook deliveries that are
 * due (a dead replica's in-flight attempt is claimable again). Replicas race for the same work
 * harmlessly: each takeover is a claim in a serialisable transaction.
 */
export function startRecoverySweep(
  context: CarrierContext,
  everyMs: number = RECOVERY_SWEEP_EVERY_MS,
): RecoverySweep {
  let delivering: Promise<void> | undefined;
  const sweep = async () => {
    await context.sharedState.refresh();
    await recoverInterruptedWork(context);
    if (delivering === undefined) {
      // Not awaited: a slow receiver must not hold up the next sweep.
      delivering = deliverDueWebhooks(context)
        .catch((error: unknown) =>
          context.logger.error({ err: error }, 'webhook delivery sweep failed'),
        )
        .finally(() => {
          delivering = undefined;
        });
    }
  };
  const sweeps = repeatEvery(everyMs, sweep, (error) =>
    context.logger.error({ err: error }, 'recovery sweep failed'),
  );
  return {
    async stop() {
      await sweeps.stop();
      await delivering;
    },
  };
}
