import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { afterCommit } from '../../persistence/after-commit.ts';
import { type ChargeRecord, type ChargeStatus, charges } from '../../persistence/collections.ts';
import { holdNow } from '../../replication/hold.ts';
import { recordEvent } from '../events/journal.ts';
import { appendLedger } from '../ledger/esim-ledger.ts';
import type { ApprovedCharge } from './authorize-charge.ts';

/**
 * Records an approved authorization: the gateway's charge (status `authorized`), the
 * `charge_authorized` ledger entry and an event, inside the caller's transaction. This
 * replica holds the charge's saga; another takes it over only if this one dies.
 */
export async function insertAuthorizedCharge(
  tx: StoreTx,
  context: CarrierContext,
  approval: ApprovedCharge,
): Promise<ChargeRecord> {
  const { request } = approval;
  const now = context.clock.now();
  const charge: ChargeRecord = {
    id: context.ids.next('ch'),
    tenantId: request.tenantId,
    iccid: request.iccid,
    amount: request.amount,
    status: 'authorized',
    purpose: { kind: request.purpose.kind, ref: request.purpose.ref },
    paymentMethod: request.paymentMethod,
    ...(request.idempotencyKey === undefined ? {} : { idempotencyKey: request.idempotencyKey }),
    ...(request.clientReference === undefined ? {} : { clientReference: request.clientReference }),
    createdAt: now,
    updatedAt: now,
    hold: holdNow(context),
  };
  await tx.insert(charges, charge);
  await appendLedger(tx, context, [
    {
      type: 'charge_authorized',
      at: now,
      iccid: charge.iccid,
      chargeId: charge.id,
      amount: charge.amount,
      purpose: charge.purpose,
    },
  ]);
  await recordCharge(tx, context, charge, 'charge.authorized');
  return charge;
}

/** Takes the held money: `authorized` → `captured`. Capturing a captured charge changes nothing. */
export function captureCharge(
  tx: StoreTx,
  context: CarrierContext,
  chargeId: string,
): Promise<ChargeRecord> {
  return settle(tx, context, chargeId, 'authorized', 'captured');
}

/** Releases the hold without taking money: `authorized` → `voided`. Idempotent. */
export function voidCharge(
  tx: StoreTx,
  context: CarrierContext,
  chargeId: string,
): Promise<ChargeRecord> {
  return settle(tx, context, chargeId, 'authorized', 'voided');
}

/** Gives captured money back: `captured` → `refunded`. Idempotent. */
export function refundCharge(
  tx: StoreTx,
  context: CarrierContext,
  chargeId: string,
): Promise<ChargeRecord> {
  return settle(tx, context, chargeId, 'captured', 'refunded');
}

const ledgerTypes = {
  captured: 'charge_captured',
  voided: 'charge_voided',
  refunded: 'charge_refunded',
} as const;

async function settle(
  tx: StoreTx,
  context: CarrierContext,
  chargeId: string,
  from: ChargeStatus,
  to: 'captured' | 'voided' | 'refunded',
): Promise<ChargeRecord> {
  const charge = await tx.get(charges, chargeId);
  // Callers only settle charges they created, so a missing one or a wrong status is a bug.
  if (!charge) throw new Error(`charge ${chargeId} does not exist; cannot mark it ${to}`);
  if (charge.status === to) return charge;
  if (charge.status !== from) {
    throw new Error(`charge ${chargeId} is ${charge.status}; only a ${from} charge can be ${to}`);
  }
  const now = context.clock.now();
  const next: ChargeRecord = { ...charge, status: to, updatedAt: now };
  await tx.update(charges, next);
  await appendLedger(tx, context, [
    { type: ledgerTypes[to], at: now, iccid: charge.iccid, chargeId: charge.id },
  ]);
  await recordCharge(tx, context, next, `charge.${to}`);
  return next;
}

async function recordCharge(
  tx: StoreTx,
  context: CarrierContext,
  charge: ChargeRecord,
  type: string,
): Promise<void> {
  afterCommit(tx, () =>
    context.metrics.charges.inc({ purpose: charge.purpose.kind, outcome: charge.status }),
  );
  await recordEvent(tx, context, {
    type,
    tenantId: charge.tenantId,
    iccid: charge.iccid,
    data: {
      chargeId: charge.id,
      amount: charge.amount,
      purpose: charge.purpose,
      status: charge.status,
    },
  });
}
