import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import type { IdempotencyClaim } from '../../http/idempotency.ts';
import { ProblemError } from '../../http/problem.ts';
import {
  type CancellationRecord,
  cancellations,
  type EsimRecord,
  esims,
} from '../../persistence/collections.ts';
import { findTenantEsim } from '../esims/esim-lookup.ts';
import { authorizeCharge, requireApproval } from '../gateway/authorize-charge.ts';
import { insertAuthorizedCharge } from '../gateway/charge-settlement.ts';
import { payThroughSaga } from '../saga/payment-saga.ts';
import { closeService } from './close-service.ts';
import { earlyTerminationFeeAt } from './early-termination-fee.ts';
import './fee-fulfilment.ts';

export interface CancelledEsim {
  readonly cancellation: CancellationRecord;
  readonly esim: EsimRecord;
}

/**
 * Cancels an eSIM. Within the plan's minimum term the early-termination fee is charged first,
 * through the payment saga on the eSIM's payment method (a decline is a 402 and cancels
 * nothing); the fee's fulfilment assesses it and closes the service in one step. Without a
 * fee the service is closed at once. A cancelled eSIM is 409 `esim_already_cancelled`.
 */
export async function cancelEsim(
  context: CarrierContext,
  request: { readonly tenantId: string; readonly iccid: string },
  claim?: IdempotencyClaim,
): Promise<CancelledEsim> {
  const { esim, fee } = await context.store.transaction(async (tx) => {
    const found = await requireCancellable(tx, request);
    return { esim: found, fee: earlyTerminationFeeAt(context, found, context.clock.now()) };
  });
  const cancellationId = context.ids.next('cn');
  const approval =
    fee === null
      ? undefined
      : requireApproval(
          await authorizeCharge(context, {
            tenantId: esim.tenantId,
            iccid: esim.iccid,
            amount: fee,
            purpose: { kind: 'fee', ref: cancellationId },
            paymentMethod: esim.paymentMethod,
          }),
        );

  const created = await payThroughSaga(context, async (tx) => {
    const current = await requireCancellable(tx, request);
    const now = context.clock.now();
    const base: CancellationRecord = {
      id: cancellationId,
      tenantId: current.tenantId,
      iccid: current.iccid,
      status: 'pending',
      fee,
      chargeId: null,
      createdAt: now,
      completedAt: null,
    };
    if (!approval) {
      const done: CancellationRecord = { ...base, status: 'completed', completedAt: now };
      await tx.insert(cancellations, done);
      await closeService(tx, context, current, done);
      await claim?.attach(tx, { kind: 'cancellation', id: done.id });
      return { value: done };
    }
    const charge = await insertAuthorizedCharge(tx, context, approval);
    const pending: CancellationRecord = { ...base, chargeId: charge.id };
    await tx.insert(cancellations, pending);
    await claim?.attach(tx, { kind: 'cancellation', id: pending.id });
    return { value: pending, charge };
  });

  return context.store.transaction(async (tx) => {
    const cancellation = await tx.get(cancellations, created.id);
    const cancelled = await tx.get(esims, created.iccid);
    if (!cancellation || !cancelled) throw new Error(`cancellation ${created.id} vanished`);
    if (cancellation.status === 'failed') {
      throw new ProblemError(
        409,
        cancellation.failureCode ?? 'esim_already_cancelled',
        `eSIM ${cancelled.iccid} was cancelled by another request meanwhile; its fee was not charged`,
      );
    }
    return { cancellation, esim: cancelled };
  });
}

/** The tenant's eSIM, unless it is cancelled already or a cancellation of it is under way. */
async function requireCancellable(
  tx: StoreTx,
  request: { readonly tenantId: string; readonly iccid: string },
): Promise<EsimRecord> {
  const esim = await findTenantEsim(tx, request.tenantId, request.iccid);
  if (esim.status === 'cancelled') {
    throw new ProblemError(
      409,
      'esim_already_cancelled',
      `eSIM ${esim.iccid} is already cancelled; nothing more to do (order a new one with POST /v1/esims)`,
    );
  }
  const running = await tx.find(cancellations, { iccid: esim.iccid, status: 'pending' });
  if (running.length > 0) {
    throw new ProblemError(
      409,
      'cancellation_in_progress',
      `eSIM ${esim.iccid} is being cancelled by another request; retry in a second to see the outcome`,
      { headers: { 'Retry-After': '1' } },
    );
  }
  return esim;
}
