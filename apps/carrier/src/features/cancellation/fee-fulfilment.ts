import type { StoreTx } from '@esimlab/store';
import { ProblemError } from '../../http/problem.ts';
import {
  type CancellationRecord,
  type ChargeRecord,
  cancellations,
  esims,
} from '../../persistence/collections.ts';
import { recordEvent } from '../events/journal.ts';
import { appendLedger, ledgerOf } from '../ledger/esim-ledger.ts';
import { registerFulfilment } from '../saga/payment-saga.ts';
import { closeService } from './close-service.ts';

/**
 * An early-termination fee's fulfilment in the payment saga: the fee is assessed in the ledger
 * and the service it ends is closed, in one step, so a crash never leaves a fee paid for an
 * eSIM still in service. An eSIM another cancellation already closed is refused (voided).
 */
registerFulfilment('fee', {
  async fulfil(tx, context, charge) {
    const cancellation = await requireCancellation(tx, charge);
    const esim = await tx.get(esims, cancellation.iccid);
    if (!esim) throw new Error(`cancellation ${cancellation.id} is for an unknown eSIM`);
    const assessed = (await ledgerOf(tx, esim.iccid)).some(
      (e) => e.type === 'fee_assessed' && e.ref === cancellation.id,
    );
    if (assessed) return;
    if (esim.status === 'cancelled') {
      throw new ProblemError(
        409,
        'esim_already_cancelled',
        `eSIM ${esim.iccid} was already cancelled; its early-termination fee is not charged twice`,
      );
    }
    await appendLedger(tx, context, [
      {
        type: 'fee_assessed',
        at: context.clock.now(),
        iccid: esim.iccid,
        chargeId: charge.id,
        amount: charge.amount,
        ref: cancellation.id,
      },
    ]);
    await closeService(tx, context, esim, cancellation);
  },

  async succeeded(tx, context, charge) {
    const cancellation = await requireCancellation(tx, charge);
    await tx.update(cancellations, {
      ...cancellation,
      status: 'completed',
      completedAt: context.clock.now(),
    });
    await recordEvent(tx, context, {
      type: 'cancellation.fee_paid',
      tenantId: cancellation.tenantId,
      iccid: cancellation.iccid,
      data: { cancellationId: cancellation.id, chargeId: charge.id, amount: charge.amount },
    });
  },

  async abandoned(tx, context, charge, reason) {
    const cancellation = await requireCancellation(tx, charge);
    await tx.update(cancellations, {
      ...cancellation,
      status: 'failed',
      failureCode: reason.code,
      completedAt: context.clock.now(),
    });
    await recordEvent(tx, context, {
      type: 'cancellation.failed',
      tenantId: cancellation.tenantId,
      iccid: cancellation.iccid,
      data: { cancellationId: cancellation.id, chargeId: charge.id, failureCode: reason.code },
    });
  },
});

async function requireCancellation(tx: StoreTx, charge: ChargeRecord): Promise<CancellationRecord> {
  const cancellation = await tx.get(cancellations, charge.purpose.ref);
  if (!cancellation) {
    throw new Error(`charge ${charge.id} pays for an unknown cancellation ${charge.purpose.ref}`);
  }
  return cancellation;
}

/** Imported for its registration; the saga finds the fulfilment by purpose. */
export const feeFulfilmentRegistered = true;
