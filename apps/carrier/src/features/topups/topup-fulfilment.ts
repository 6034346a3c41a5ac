import { expiresAt, findPlan, parseTimeZone, unwrap } from '@esimlab/domain';
import type { StoreTx } from '@esimlab/store';
import {
  type ChargeRecord,
  esims,
  type TopupRecord,
  topups,
} from '../../persistence/collections.ts';
import { recordEvent } from '../events/journal.ts';
import { appendLedger, isCredited } from '../ledger/esim-ledger.ts';
import { registerFulfilment } from '../saga/payment-saga.ts';
import { topupRefusal } from './buy-topup.ts';
import { notifyTopup } from './topup-notifications.ts';

/**
 * A top-up's fulfilment in the payment saga: the add-on's data lands in its bucket (a pass
 * or a boost), valid from the purchase day in the subscriber's zone, with any promotion
 * bonus granted at purchase in a promo bucket of the same validity. The purchase is checked
 * again here: an eSIM cancelled since, or a pass credited since where one is allowed at a time
 * (an `async` top-up falling due, a slow payment racing another purchase), is refused, so the
 * saga voids the charge and the top-up fails with the refusal's code.
 */
registerFulfilment('topup', {
  async fulfil(tx, context, charge) {
    const topup = await requireTopup(tx, charge);
    if (await isCredited(tx, topup.iccid, { kind: 'topup', ref: topup.id })) return;
    const plan = unwrap(findPlan(context.profile.id, topup.planId, 'addon'));
    const esim = await tx.get(esims, topup.iccid);
    if (!esim) throw new Error(`top-up ${topup.id} is for an unknown eSIM ${topup.iccid}`);
    const refusal = await topupRefusal(tx, context, esim, plan);
    if (refusal) throw refusal;
    const zone = unwrap(parseTimeZone(esim.subscriber.timeZone, 'subscriber.timeZone'));
    const now = context.clock.now();
    const until = expiresAt(topup.createdAt, plan.validityDays, zone);
    await appendLedger(tx, context, [
      {
        type: 'data_credited',
        at: now,
        iccid: topup.iccid,
        bucketId: `${topup.id}-data`,
        bucket: plan.addonKind,
        bytes: topup.dataBytes,
        expiresAt: until,
        source: { kind: 'topup', ref: topup.id },
      },
      ...(topup.bonusBytes > 0
        ? [
            {
              type: 'data_credited' as const,
              at: now,
              iccid: topup.iccid,
              bucketId: `${topup.id}-bonus`,
              bucket: 'promo' as const,
              bytes: topup.bonusBytes,
              expiresAt: until,
              source: { kind: 'promotion' as const, ref: topup.id },
            },
          ]
        : []),
    ]);
    await recordEvent(tx, context, {
      type: 'topup.credited',
      tenantId: topup.tenantId,
      iccid: topup.iccid,
      data: { topupId: topup.id, dataBytes: topup.dataBytes, bonusBytes: topup.bonusBytes },
    });
  },

  async succeeded(tx, context, charge) {
    const topup = await requireTopup(tx, charge);
    const done: TopupRecord = { ...topup, status: 'succeeded', completedAt: context.clock.now() };
    await tx.update(topups, done);
    await notifyTopup(tx, context, done);
  },

  async abandoned(tx, context, charge, reason) {
    const topup = await requireTopup(tx, charge);
    const failed: TopupRecord = {
      ...topup,
      status: 'failed',
      failureCode: reason.code,
      completedAt: context.clock.now(),
    };
    await tx.update(topups, failed);
    await notifyTopup(tx, context, failed);
  },

  async resumeAtStartup(tx, context, charge) {
    // An async top-up that is not yet due is re-armed instead (see async-completion.ts).
    const topup = await requireTopup(tx, charge);
    return topup.dueAt === undefined || topup.dueAt <= context.clock.now();
  },
});

async function requireTopup(tx: StoreTx, charge: ChargeRecord): Promise<TopupRecord> {
  const topup = await tx.get(topups, charge.purpose.ref);
  if (!topup)
    throw new Error(`charge ${charge.id} pays for an unknown top-up ${charge.purpose.ref}`);
  return topup;
}

/** Imported for its registration; the saga finds the fulfilment by purpose. */
export const topupFulfilmentRegistered = true;
