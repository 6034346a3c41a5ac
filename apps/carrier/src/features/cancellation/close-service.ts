import { transition } from '@esimlab/domain';
import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import {
  type CancellationRecord,
  charges,
  type EsimRecord,
  esims,
} from '../../persistence/collections.ts';
import { recordEvent } from '../events/journal.ts';
import { voidCharge } from '../gateway/charge-settlement.ts';
import { appendLedger, balanceNow } from '../ledger/esim-ledger.ts';

/**
 * Ends an eSIM's service for a cancellation, inside the caller's transaction: every live data
 * bucket is closed now, an order never activated has its authorization voided (nothing was
 * ever taken), a profile never downloaded is withdrawn at the SM-DP+ (SGP.22 CancelOrder →
 * `unavailable`), auto-renewal stops and the status is `cancelled`. Idempotent.
 */
export async function closeService(
  tx: StoreTx,
  context: CarrierContext,
  esim: EsimRecord,
  cancellation: CancellationRecord,
): Promise<EsimRecord> {
  if (esim.status === 'cancelled') return esim;
  const now = context.clock.now();
  const { buckets } = await balanceNow(tx, context, esim.iccid);
  await appendLedger(
    tx,
    context,
    buckets.map((b) => ({
      type: 'data_expired' as const,
      at: now,
      iccid: esim.iccid,
      bucketId: b.bucketId,
    })),
  );
  const order = await tx.get(charges, esim.chargeId);
  const voidsOrder = order?.status === 'authorized';
  if (voidsOrder) await voidCharge(tx, context, esim.chargeId);
  // Only a profile still at the SM-DP+ can be withdrawn; one already on a device stays, without service.
  const withdrawn = transition(esim.profile, { type: 'cancel' });
  const profile =
    esim.profile.firstEnabledAt === undefined && withdrawn.ok ? withdrawn.value : esim.profile;

  const { graceUntil: _over, ...rest } = esim;
  const cancelled: EsimRecord = {
    ...rest,
    profile,
    status: 'cancelled',
    autoRenew: false,
    cancelledAt: now,
  };
  await tx.update(esims, cancelled);
  await recordEvent(tx, context, {
    type: 'esim.cancelled',
    tenantId: esim.tenantId,
    iccid: esim.iccid,
    ...(esim.eid === undefined ? {} : { eid: esim.eid }),
    data: {
      cancellationId: cancellation.id,
      earlyTerminationFee: cancellation.fee,
      feeChargeId: cancellation.chargeId,
      closedBuckets: buckets.map((b) => b.bucketId),
      orderChargeVoided: voidsOrder,
      state: { from: esim.profile.state, to: profile.state },
      status: { from: esim.status, to: 'cancelled' },
    },
  });
  return cancelled;
}
