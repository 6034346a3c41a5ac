import { type BasePlan, type EpochMillis, findPlan, parseTimeZone, unwrap } from '@esimlab/domain';
import { type StoreTx, UniqueViolationError } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import {
  type EsimRecord,
  esims,
  type RenewalRecord,
  renewals,
  type ServiceStatus,
} from '../../persistence/collections.ts';
import { authorizeCharge, type ChargeDecision } from '../gateway/authorize-charge.ts';
import { insertAuthorizedCharge } from '../gateway/charge-settlement.ts';
import { payThroughSaga, type RecordedPurchase } from '../saga/payment-saga.ts';
import { graceEndOf } from './grace-period.ts';
import { notifyRenewalOutcome, notifyRenewalSuspension } from './renewal-notifications.ts';
import './renewal-fulfilment.ts';

/** A renewal someone decided to try now: the due job, or a payment-method change. */
export interface DueRenewal {
  readonly iccid: string;
  /** The status the eSIM must still have when the attempt is recorded; otherwise it is dropped. */
  readonly expectedStatus: 'active' | 'grace' | 'suspended';
  readonly periodStart: EpochMillis;
  readonly attempt: number;
  /** On time, the new data is usable from `periodStart`; late, from the moment it is paid. */
  readonly onTime: boolean;
}

/**
 * Pays for the next period of an eSIM's base plan through the payment saga: authorize the
 * plan's price on the eSIM's payment method (outside any transaction), record the renewal
 * and its authorized charge together, then fulfil (credit the period) and capture. A decline
 * records a failed renewal and puts the eSIM in `grace`, or `suspended` once grace is over.
 * Returns the renewal as it ended, or undefined when the attempt was no longer due (another
 * attempt got there first, or the eSIM changed meanwhile): then nothing was written.
 */
export async function attemptRenewal(
  context: CarrierContext,
  due: DueRenewal,
): Promise<RenewalRecord | undefined> {
  const esim = await context.store.transaction((tx) => tx.get(esims, due.iccid));
  if (!esim) return undefined;
  // The eSIM was ordered on this plan, so it is in the catalog; a failure here is a bug.
  const plan = unwrap(findPlan(context.profile.id, esim.planId, 'base'));
  const renewalId = context.ids.next('rn');
  const decision = await authorizeCharge(context, {
    tenantId: esim.tenantId,
    iccid: esim.iccid,
    amount: plan.price,
    purpose: { kind: 'renewal', ref: renewalId },
    paymentMethod: esim.paymentMethod,
  });

  let recorded: RenewalRecord | undefined;
  try {
    recorded = await payThroughSaga(context, (tx) =>
      recordAttempt(tx, context, due, { renewalId, plan, decision }),
    );
  } catch (error) {
    // The same attempt of the same period was recorded by someone else first.
    if (error instanceof UniqueViolationError && error.collection === renewals.name) {
      return undefined;
    }
    throw error;
  }
  if (recorded?.status !== 'pending' || recorded.chargeId === null) return recorded;
  const settledId = recorded.id;
  return context.store.transaction((tx) => tx.get(renewals, settledId));
}

interface AuthorizedAttempt {
  readonly renewalId: string;
  readonly plan: BasePlan;
  readonly decision: ChargeDecision;
}

async function recordAttempt(
  tx: StoreTx,
  context: CarrierContext,
  due: DueRenewal,
  { renewalId, plan, decision }: AuthorizedAttempt,
): Promise<RecordedPurchase<RenewalRecord | undefined>> {
  const esim = await tx.get(esims, due.iccid);
  if (!esim || !(await stillDue(tx, esim, due))) return { value: undefined };
  const now = context.clock.now();
  const base: RenewalRecord = {
    id: renewalId,
    tenantId: esim.tenantId,
    iccid: esim.iccid,
    planId: plan.id,
    status: 'pending',
    amount: plan.price,
    chargeId: null,
    periodStart: due.periodStart,
    validFrom: due.onTime ? due.periodStart : now,
    attempt: due.attempt,
    periodKey: `${esim.iccid}:${due.periodStart}:${due.attempt}`,
    paymentMethod: esim.paymentMethod,
    createdAt: now,
    completedAt: null,
  };
  if (decision.status === 'declined') {
    const failed: RenewalRecord = {
      ...base,
      status: 'failed',
      failureCode: decision.code,
      completedAt: now,
    };
    await tx.insert(renewals, failed);
    await applyDecline(tx, context, esim, failed);
    return { value: failed };
  }
  const charge = await insertAuthorizedCharge(tx, context, decision);
  const pending: RenewalRecord = { ...base, chargeId: charge.id };
  await tx.insert(renewals, pending);
  return { value: pending, charge };
}

/** Whether the attempt still makes sense: same status, still renewing, period not yet paid or being paid. */
async function stillDue(tx: StoreTx, esim: EsimRecord, due: DueRenewal): Promise<boolean> {
  if (esim.status !== due.expectedStatus || !esim.autoRenew) return false;
  const ofPeriod = (await tx.find(renewals, { iccid: esim.iccid })).filter(
    (r) => r.periodStart === due.periodStart,
  );
  return ofPeriod.every((r) => r.status === 'failed');
}

/**
 * A declined renewal: the eSIM enters `grace` (its data is gone, retries follow daily), or,
 * when grace is already over, is `suspended`. A suspended eSIM stays suspended.
 */
async function applyDecline(
  tx: StoreTx,
  context: CarrierContext,
  esim: EsimRecord,
  failed: RenewalRecord,
): Promise<void> {
  let after: EsimRecord = esim;
  if (esim.status !== 'suspended') {
    const zone = unwrap(parseTimeZone(esim.subscriber.timeZone, 'subscriber.timeZone'));
    const graceUntil = esim.graceUntil ?? graceEndOf(failed.periodStart, zone);
    const { graceUntil: _ended, ...rest } = esim;
    const status: ServiceStatus = failed.createdAt >= graceUntil ? 'suspended' : 'grace';
    after = status === 'grace' ? { ...rest, status, graceUntil } : { ...rest, status };
    await tx.update(esims, after);
  }
  await notifyRenewalOutcome(tx, context, failed, after);
  if (esim.status !== 'suspended' && after.status === 'suspended') {
    await notifyRenewalSuspension(tx, context, after, failed);
  }
}
