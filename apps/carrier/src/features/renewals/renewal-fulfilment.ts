import { expiresAt, findPlan, parseTimeZone, toIso, unwrap } from '@esimlab/domain';
import type { StoreTx } from '@esimlab/store';
import { ProblemError } from '../../http/problem.ts';
import {
  type ChargeRecord,
  type EsimRecord,
  esims,
  type RenewalRecord,
  renewals,
} from '../../persistence/collections.ts';
import { recordEvent } from '../events/journal.ts';
import { appendLedger, isCredited } from '../ledger/esim-ledger.ts';
import { registerFulfilment } from '../saga/payment-saga.ts';
import { notifyRenewalOutcome } from './renewal-notifications.ts';

/**
 * A renewal's fulfilment in the payment saga: the next period of the base plan lands in a new
 * base bucket, from `validFrom` to the local midnight ending the period that starts at
 * `periodStart` in the subscriber's zone, and the eSIM is `active` again. An eSIM cancelled
 * before its renewal completed is refused, so the saga voids the charge.
 */
registerFulfilment('renewal', {
  async fulfil(tx, context, charge) {
    const renewal = await requireRenewal(tx, charge);
    const esim = await requireEsim(tx, renewal);
    if (await isCredited(tx, renewal.iccid, { kind: 'renewal', ref: renewal.id })) return;
    if (esim.status === 'cancelled') {
      throw new ProblemError(
        409,
        'esim_cancelled',
        `eSIM ${esim.iccid} was cancelled before renewal ${renewal.id} completed; its charge is voided`,
      );
    }
    const plan = unwrap(findPlan(context.profile.id, renewal.planId, 'base'));
    const zone = unwrap(parseTimeZone(esim.subscriber.timeZone, 'subscriber.timeZone'));
    const until = expiresAt(renewal.periodStart, plan.validityDays, zone);
    await appendLedger(tx, context, [
      {
        type: 'data_credited',
        at: renewal.validFrom,
        iccid: renewal.iccid,
        bucketId: context.ids.next('bkt'),
        bucket: 'base',
        bytes: plan.dataBytes,
        expiresAt: until,
        source: { kind: 'renewal', ref: renewal.id },
      },
    ]);
    const { graceUntil: _over, ...rest } = esim;
    await tx.update(esims, { ...rest, status: 'active' });
    await recordEvent(tx, context, {
      type: 'renewal.credited',
      tenantId: renewal.tenantId,
      iccid: renewal.iccid,
      ...(esim.eid === undefined ? {} : { eid: esim.eid }),
      data: {
        renewalId: renewal.id,
        dataBytes: plan.dataBytes,
        validFrom: toIso(renewal.validFrom),
        expiresAt: toIso(until),
        status: { from: esim.status, to: 'active' },
      },
    });
  },

  async succeeded(tx, context, charge) {
    const renewal = await requireRenewal(tx, charge);
    const done: RenewalRecord = {
      ...renewal,
      status: 'succeeded',
      completedAt: context.clock.now(),
    };
    await tx.update(renewals, done);
    await notifyRenewalOutcome(tx, context, done, await requireEsim(tx, renewal));
  },

  async abandoned(tx, context, charge, reason) {
    const renewal = await requireRenewal(tx, charge);
    const failed: RenewalRecord = {
      ...renewal,
      status: 'failed',
      failureCode: reason.code,
      completedAt: context.clock.now(),
    };
    await tx.update(renewals, failed);
    await notifyRenewalOutcome(tx, context, failed, await requireEsim(tx, renewal));
  },
});

async function requireRenewal(tx: StoreTx, charge: ChargeRecord): Promise<RenewalRecord> {
  const renewal = await tx.get(renewals, charge.purpose.ref);
  if (!renewal) {
    throw new Error(`charge ${charge.id} pays for an unknown renewal ${charge.purpose.ref}`);
  }
  return renewal;
}

async function requireEsim(tx: StoreTx, renewal: RenewalRecord): Promise<EsimRecord> {
  const esim = await tx.get(esims, renewal.iccid);
  if (!esim) throw new Error(`renewal ${renewal.id} is for an unknown eSIM ${renewal.iccid}`);
  return esim;
}

/** Imported for its registration; the saga finds the fulfilment by purpose. */
export const renewalFulfilmentRegistered = true;
