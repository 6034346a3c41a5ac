import type { ChargePurposeKind } from '@esimlab/domain';
import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { onStartup } from '../../app/startup-tasks.ts';
import { ProblemError } from '../../http/problem.ts';
import { type ChargeRecord, charges } from '../../persistence/collections.ts';
import type { CrashPoint } from '../../runtime/crash-points.ts';
import { captureCharge, voidCharge } from '../gateway/charge-settlement.ts';

/**
 * What a charge pays for, as the saga sees it. Every method runs inside a store transaction
 * and must be idempotent: after a crash the saga repeats the step it was in.
 */
export interface Fulfilment {
  /** Delivers what was bought (credits data, grants the plan, assesses the fee). */
  fulfil(tx: StoreTx, context: CarrierContext, charge: ChargeRecord): Promise<void>;
  /** After the capture, in its transaction: marks the purchase done, emits its webhooks. */
  succeeded(tx: StoreTx, context: CarrierContext, charge: ChargeRecord): Promise<void>;
  /** After the charge was voided because fulfilment was impossible. */
  abandoned(
    tx: StoreTx,
    context: CarrierContext,
    charge: ChargeRecord,
    reason: ProblemError,
  ): Promise<void>;
  /** Whether start-up recovery should finish this charge now (an async top-up not yet due waits). */
  resumeAtStartup?(tx: StoreTx, context: CarrierContext, charge: ChargeRecord): Promise<boolean>;
}

const fulfilments = new Map<ChargePurposeKind, Fulfilment>();

/** Registers how charges of one purpose are fulfilled; orders are not sagas (they capture on activation). */
export function registerFulfilment(
  kind: Exclude<ChargePurposeKind, 'order'>,
  fulfilment: Fulfilment,
): void {
  fulfilments.set(kind, fulfilment);
}

/** Exits the process at `point` if it is armed, through the injected crash hook. */
export function crashPoint(context: CarrierContext, point: CrashPoint): void {
  if (context.crashPoints.take(point)) context.crash(`crash point ${point}`);
}

/**
 * Finishes the saga of an authorized charge: fulfil, then capture; if fulfilment turns out
 * impossible, void. Each step commits before the next, with a crash point after it, and each
 * is idempotent, so running this again after a crash ends in exactly one fulfilment and one
 * capture, or no fulfilment and a voided charge. Returns the settled charge.
 */
export async function completeCharge(
  context: CarrierContext,
  chargeId: string,
): Promise<ChargeRecord> {
  const fulfilled = await context.store.transaction(async (tx) => {
    const charge = await requireCharge(tx, chargeId);
    if (charge.status !== 'authorized') return { charge };
    try {
      await fulfilmentOf(charge).fulfil(tx, context, charge);
      return { charge };
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      return { charge, refusal: error };
    }
  });
  if (fulfilled.charge.status !== 'authorized') return fulfilled.charge;

  if (fulfilled.refusal) {
    const refusal = fulfilled.refusal;
    return context.store.transaction(async (tx) => {
      const voided = await voidCharge(tx, context, chargeId);
      await fulfilmentOf(voided).abandoned(tx, context, voided, refusal);
      return voided;
    });
  }
  crashPoint(context, 'after-credit');

  const captured = await context.store.transaction(async (tx) => {
    const current = await requireCharge(tx, chargeId);
    if (current.status !== 'authorized') return current;
    const settled = await captureCharge(tx, context, chargeId);
    await fulfilmentOf(settled).succeeded(tx, context, settled);
    return settled;
  });
  crashPoint(context, 'after-capture');
  return captured;
}

/** Start-up recovery: every charge a crash left authorized is carried to its end. */
export async function resumeInterruptedCharges(context: CarrierContext): Promise<number> {
  const pending = await context.store.transaction(async (tx) => {
    const authorized = await tx.find(charges, { status: 'authorized' }, { orderBy: 'createdAt' });
    const resumable: string[] = [];
    for (const charge of authorized) {
      const fulfilment = fulfilments.get(charge.purpose.kind);
      if (!fulfilment) continue;
      if (!fulfilment.resumeAtStartup || (await fulfilment.resumeAtStartup(tx, context, charge))) {
        resumable.push(charge.id);
      }
    }
    return resumable;
  });
  for (const chargeId of pending) await completeCharge(context, chargeId);
  if (pending.length > 0)
    context.logger.info({ charges: pending.length }, 'resumed interrupted payments');
  return pending.length;
}

onStartup({
  name: 'payment-saga-recovery',
  phase: 1,
  async run(context) {
    await resumeInterruptedCharges(context);
  },
});

function fulfilmentOf(charge: ChargeRecord): Fulfilment {
  const fulfilment = fulfilments.get(charge.purpose.kind);
  if (!fulfilment) throw new Error(`no fulfilment registered for ${charge.purpose.kind} charges`);
  return fulfilment;
}

async function requireCharge(tx: StoreTx, chargeId: string): Promise<ChargeRecord> {
  const charge = await tx.get(charges, chargeId);
  if (!charge) throw new Error(`charge ${chargeId} does not exist`);
  return charge;
}
