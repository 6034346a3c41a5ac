import {
  type BucketKind,
  deriveBalance,
  type EpochMillis,
  type LedgerEntry,
  toIso,
} from '@esimlab/domain';
import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { type EsimRecord, events } from '../../persistence/collections.ts';
import { recordEvent } from '../events/journal.ts';
import { esimsWithBaseExpiryIn, ledgerOf } from '../ledger/esim-ledger.ts';
import type { DueJob, DueWindow } from './due-work.ts';

export const ESIM_EXPIRED_EVENT = 'esim.expired';

/**
 * Records `esim.expired` for every eSIM whose base plan ran out in the window: a base
 * bucket's `expiresAt` fell in it and no other base bucket was live at that moment. The
 * service status itself is derived from the ledger elsewhere; this only journals the moment.
 */
export const esimExpiry: DueJob = {
  name: 'esim-expiry',
  async run(context, window) {
    const due = await context.store.transaction((tx) => esimsWithBaseExpiryIn(tx, window));
    for (const esim of due) {
      // One transaction per eSIM, so requests are not held up behind a long sweep.
      await context.store.transaction((tx) => journalLapses(tx, context, esim, window));
    }
  },
};

async function journalLapses(
  tx: StoreTx,
  context: CarrierContext,
  esim: EsimRecord,
  window: DueWindow,
): Promise<void> {
  const lapses = baseLapses(
    await ledgerOf(tx, esim.iccid),
    window,
    context.profile.dataRules.consumptionOrder,
  );
  if (lapses.length === 0) return;
  const journaled = new Set(
    (await tx.find(events, { iccid: esim.iccid }))
      .filter((e) => e.type === ESIM_EXPIRED_EVENT)
      .map((e) => e.data.expiresAt),
  );
  for (const at of lapses) {
    const expiresAt = toIso(at);
    if (journaled.has(expiresAt)) continue;
    await recordEvent(tx, context, {
      type: ESIM_EXPIRED_EVENT,
      tenantId: esim.tenantId,
      iccid: esim.iccid,
      ...(esim.eid === undefined ? {} : { eid: esim.eid }),
      data: { planId: esim.planId, expiresAt },
    });
  }
}

/** The moments in the window at which the eSIM was left without a live base bucket. */
function baseLapses(
  entries: readonly LedgerEntry[],
  window: DueWindow,
  consumptionOrder: readonly BucketKind[],
): EpochMillis[] {
  // A bucket closed before its expiry (a cancellation) ended otherwise: that is no lapse.
  const closedAt = new Map<string, EpochMillis>();
  for (const entry of entries) {
    if (entry.type !== 'data_expired') continue;
    closedAt.set(entry.bucketId, Math.min(entry.at, closedAt.get(entry.bucketId) ?? entry.at));
  }
  const candidates = new Set<EpochMillis>();
  for (const entry of entries) {
    if (entry.type !== 'data_credited' || entry.bucket !== 'base') continue;
    if (entry.expiresAt <= window.from || entry.expiresAt > window.to) continue;
    if ((closedAt.get(entry.bucketId) ?? Number.POSITIVE_INFINITY) < entry.expiresAt) continue;
    candidates.add(entry.expiresAt);
  }
  return [...candidates]
    .sort((a, b) => a - b)
    .filter((at) => deriveBalance(entries, { at, consumptionOrder }).expiresAt === null);
}
