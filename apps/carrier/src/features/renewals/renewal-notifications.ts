import { toIso } from '@esimlab/domain';
import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import type { EsimRecord, RenewalRecord } from '../../persistence/collections.ts';
import { recordEvent } from '../events/journal.ts';
import { ledgerOf } from '../ledger/esim-ledger.ts';
import { emitWebhookEvent } from '../webhooks/emit-webhook-event.ts';

/**
 * Journals how a renewal ended and tells the tenant's webhook endpoints: `plan.renewed` or
 * `plan.renewal_failed`, with the eSIM's service status afterwards. Once per renewal.
 */
export async function notifyRenewalOutcome(
  tx: StoreTx,
  context: CarrierContext,
  renewal: RenewalRecord,
  esim: EsimRecord,
): Promise<void> {
  const renewed = renewal.status === 'succeeded';
  const type = renewed ? 'plan.renewed' : 'plan.renewal_failed';
  const at = toIso(renewal.completedAt ?? context.clock.now());
  const common = {
    iccid: renewal.iccid,
    planId: renewal.planId,
    renewalId: renewal.id,
    attempt: renewal.attempt,
    amount: renewal.amount,
    periodStart: toIso(renewal.periodStart),
    status: esim.status,
  };
  const data = renewed
    ? {
        ...common,
        chargeId: renewal.chargeId,
        renewedAt: at,
        expiresAt: await renewedUntil(tx, renewal),
      }
    : {
        ...common,
        failureCode: renewal.failureCode ?? null,
        failedAt: at,
        ...(esim.graceUntil === undefined ? {} : { graceUntil: toIso(esim.graceUntil) }),
      };
  await recordEvent(tx, context, {
    type,
    tenantId: renewal.tenantId,
    iccid: renewal.iccid,
    ...(esim.eid === undefined ? {} : { eid: esim.eid }),
    data,
  });
  await emitWebhookEvent(tx, context, {
    tenantId: renewal.tenantId,
    type,
    data,
    dedupeKey: `${type}:${renewal.id}`,
  });
}

/** Journals that an eSIM's service was suspended because its renewal could not be paid, and tells the tenant. */
export async function notifyRenewalSuspension(
  tx: StoreTx,
  context: CarrierContext,
  esim: EsimRecord,
  renewal: RenewalRecord,
): Promise<void> {
  const data = {
    iccid: esim.iccid,
    planId: esim.planId,
    status: 'suspended',
    reason: 'renewal_failed',
    renewalId: renewal.id,
    failureCode: renewal.failureCode ?? null,
    suspendedAt: toIso(context.clock.now()),
  };
  await recordEvent(tx, context, {
    type: 'esim.suspended',
    tenantId: esim.tenantId,
    iccid: esim.iccid,
    ...(esim.eid === undefined ? {} : { eid: esim.eid }),
    data,
  });
  await emitWebhookEvent(tx, context, {
    tenantId: esim.tenantId,
    type: 'esim.suspended',
    data,
    dedupeKey: `esim.suspended:${renewal.id}`,
  });
}

/** The expiry of the base bucket a renewal credited. */
async function renewedUntil(tx: StoreTx, renewal: RenewalRecord): Promise<string | null> {
  const credit = (await ledgerOf(tx, renewal.iccid)).find(
    (e) => e.type === 'data_credited' && e.source.kind === 'renewal' && e.source.ref === renewal.id,
  );
  return credit?.type === 'data_credited' ? toIso(credit.expiresAt) : null;
}
