import { DAY_MS, deriveBalance, type LedgerEntry, toIso } from '@esimlab/domain';
import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import type { EsimRecord } from '../../persistence/collections.ts';
import type { DueJob, DueWindow } from '../clock/due-work.ts';
import { esimsWithBaseExpiryIn, ledgerOf } from '../ledger/esim-ledger.ts';
import { emitWebhookEvent } from './emit-webhook-event.ts';

/** How long before a base plan runs out `plan.expiring` is sent: 72 hours. */
export const PLAN_EXPIRING_NOTICE_MS = 3 * DAY_MS;

/**
 * Emits `plan.expiring` 3 days before an eSIM's base plan runs out, once per eSIM and expiry
 * (the event's dedupe key), with the balance at that moment. A plan that another base plan
 * extends past that expiry is not expiring; a plan shorter than the notice gets none.
 */
export const planExpiringNotice: DueJob = {
  name: 'plan-expiring-notice',
  async run(context, window) {
    // A notice falls in the window when its plan expires one notice period after it.
    const expiring = {
      from: window.from + PLAN_EXPIRING_NOTICE_MS,
      to: window.to + PLAN_EXPIRING_NOTICE_MS,
    };
    const due = await context.store.transaction((tx) => esimsWithBaseExpiryIn(tx, expiring));
    for (const esim of due) {
      // One transaction per eSIM, so requests are not held up behind a long sweep.
      await context.store.transaction((tx) => noticeExpiries(tx, context, esim, window));
    }
  },
};

async function noticeExpiries(
  tx: StoreTx,
  context: CarrierContext,
  esim: EsimRecord,
  window: DueWindow,
): Promise<void> {
  const entries = await ledgerOf(tx, esim.iccid);
  for (const { noticeAt, expiresAt, dataRemainingBytes } of dueNotices(entries, window, context)) {
    await emitWebhookEvent(tx, context, {
      tenantId: esim.tenantId,
      type: 'plan.expiring',
      dedupeKey: `plan.expiring:${esim.iccid}:${expiresAt}`,
      data: {
        iccid: esim.iccid,
        planId: esim.planId,
        expiresAt: toIso(expiresAt),
        noticeAt: toIso(noticeAt),
        dataRemainingBytes,
        autoRenew: esim.autoRenew,
      },
    });
  }
}

interface DueNotice {
  readonly noticeAt: number;
  readonly expiresAt: number;
  readonly dataRemainingBytes: number;
}

function dueNotices(
  entries: readonly LedgerEntry[],
  window: DueWindow,
  context: CarrierContext,
): DueNotice[] {
  const notices = new Map<number, DueNotice>();
  for (const entry of entries) {
    if (entry.type !== 'data_credited' || entry.bucket !== 'base') continue;
    const noticeAt = entry.expiresAt - PLAN_EXPIRING_NOTICE_MS;
    if (noticeAt <= window.from || noticeAt > window.to || noticeAt < entry.at) continue;
    const balance = deriveBalance(entries, {
      at: noticeAt,
      consumptionOrder: context.profile.dataRules.consumptionOrder,
    });
    // Still live then (not cancelled) and the last base plan standing: it really is expiring.
    const live = balance.buckets.some((b) => b.bucketId === entry.bucketId);
    if (!live || balance.expiresAt !== entry.expiresAt) continue;
    notices.set(entry.expiresAt, {
      noticeAt,
      expiresAt: entry.expiresAt,
      dataRemainingBytes: balance.dataRemainingBytes,
    });
  }
  return [...notices.values()];
}
