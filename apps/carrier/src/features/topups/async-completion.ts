import type { CarrierContext } from '../../app/carrier-context.ts';
import { onStartup } from '../../app/startup-tasks.ts';
import { type TopupRecord, topups } from '../../persistence/collections.ts';
import type { DueJob } from '../clock/due-work.ts';
import { completeCharge } from '../saga/payment-saga.ts';

/**
 * `async` style: an accepted top-up completes `asyncCompletionMs` of wall time later, or at
 * once when a clock advance passes its due time. Both paths run the same idempotent saga
 * step, so whichever comes second finds nothing left to do.
 */
export function scheduleAsyncCompletion(context: CarrierContext, topup: TopupRecord): void {
  if (topup.dueAt === undefined || topup.chargeId === null) return;
  const chargeId = topup.chargeId;
  const delayMs = Math.max(0, topup.dueAt - context.clock.now());
  context.scheduler.schedule(delayMs, async () => {
    await completeCharge(context, chargeId);
  });
}

/** Due work: completes every pending async top-up whose due time the clock has passed. */
export const asyncTopupCompletion: DueJob = {
  name: 'async-topup-completion',
  async run(context, window) {
    const due = await context.store.transaction(async (tx) =>
      (await tx.find(topups, { status: 'pending' }, { orderBy: 'createdAt' })).filter(
        (t) => t.dueAt !== undefined && t.dueAt <= window.to && t.chargeId !== null,
      ),
    );
    for (const topup of due) await completeCharge(context, topup.chargeId as string);
  },
};

// After a restart, the top-ups still pending get their completion timers back.
onStartup({
  name: 'async-topup-rearm',
  phase: 3,
  async run(context) {
    const pending = await context.store.transaction((tx) => tx.find(topups, { status: 'pending' }));
    for (const topup of pending) scheduleAsyncCompletion(context, topup);
  },
});
