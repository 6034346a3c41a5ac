import type { CarrierContext } from '../../app/carrier-context.ts';
import { type EsimRecord, esims } from '../../persistence/collections.ts';
import type { DueJob, DueWindow } from '../clock/due-work.ts';
import { esimsWithBaseExpiryIn } from '../ledger/esim-ledger.ts';
import { attemptRenewal } from './renewal-attempt.ts';
import { dueRenewalIn } from './renewal-schedule.ts';

/**
 * Due work: renews every auto-renewing eSIM whose base plan's period ended in the window, and
 * retries, once a day, those in `grace`. Runs before the expiry job, so a renewed plan never
 * lapses. Safe to run again over the same window: a period's attempt is recorded once.
 */
export const autoRenewal: DueJob = {
  name: 'auto-renewal',
  async run(context, window) {
    // Due are the eSIMs whose period ended in the window and those in grace (daily retries).
    const candidates = await context.store.transaction(async (tx) => {
      const due = new Map<string, EsimRecord>();
      for (const esim of await esimsWithBaseExpiryIn(tx, window)) due.set(esim.iccid, esim);
      for (const esim of await tx.find(esims, { status: 'grace' })) due.set(esim.iccid, esim);
      return [...due.values()]
        .filter((e) => e.autoRenew && (e.status === 'active' || e.status === 'grace'))
        .sort((a, b) => a.createdAt - b.createdAt || (a.iccid < b.iccid ? -1 : 1))
        .map((e) => e.iccid);
    });
    for (const iccid of candidates) await renewThroughWindow(context, iccid, window);
  },
};

/**
 * One eSIM, period after period: a long advance may span several periods, and each renewal
 * ends where the next begins. Each pass records an attempt or stops, and a successful one
 * moves the period forward, so the loop ends.
 */
async function renewThroughWindow(
  context: CarrierContext,
  iccid: string,
  window: DueWindow,
): Promise<void> {
  for (;;) {
    const due = await context.store.transaction(async (tx) => {
      const esim = await tx.get(esims, iccid);
      return esim ? dueRenewalIn(tx, esim, window) : undefined;
    });
    if (!due) return;
    const outcome = await attemptRenewal(context, due);
    if (!outcome || outcome.status === 'pending') return;
  }
}
