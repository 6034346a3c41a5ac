import type { ChargePurposeKind } from '@esimlab/domain';
import { type StoreTx, TransactionConflictError } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { ProblemError } from '../../http/problem.ts';
import { type ChargeRecord, charges } from '../../persistence/collections.ts';
import { perStore } from '../../persistence/per-store.ts';
import { holdNow, isAbandoned } from '../../replication/hold.ts';
import { liveReplicas } from '../../replication/replica-registry.ts';
import { type CrashPoint, stepCrashPoints } from '../../runtime/crash-points.ts';
import { recordEvent } from '../events/journal.ts';
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

// Rounds of the whole saga when a step keeps losing races to other replicas' transactions.
const SAGA_ROUNDS = 3;
const SAGA_ROUND_PAUSE_MS = 200;

/**
 * Finishes the saga of an authorized charge, step by step: fulfil, then capture; if
 * fulfilment turns out impossible, void. `payThroughSaga` runs the same steps in one
 * transaction where it can; this runs recovery, an `async` top-up when it falls due, a
 * purchase with a crash point between its steps armed, and every purchase on a store shared
 * by replicas. Each step commits before the next, with a crash point after it, and each is
 * idempotent, so running this again after a crash ends in exactly one fulfilment and one
 * capture, or no fulfilment and a voided charge. Returns the settled charge.
 *
 * For the same reason a step that kept conflicting with concurrent transactions (replicas on
 * PostgreSQL) is simply run again, a few times, rather than leaving the payment half done.
 */
export function completeCharge(
  context: CarrierContext,
  chargeId: string,
  options: CompleteChargeOptions = {},
): Promise<ChargeRecord> {
  const running = sagasOf(context.store);
  const saga = runSagaRounds(context, chargeId, options);
  const settled = saga.then(
    () => undefined,
    () => undefined,
  );
  running.set(chargeId, settled);
  void settled.then(() => {
    if (running.get(chargeId) === settled) running.delete(chargeId);
  });
  return saga;
}

export interface CompleteChargeOptions {
  /**
   * Runs in the capture's transaction, after `succeeded`, when this call captures the charge:
   * what the caller writes with it (the answer stored under the request's idempotency key).
   */
  readonly withCapture?: (tx: StoreTx) => Promise<void>;
}

// The sagas this process is running, by charge id, per store: settled when each ends.
const sagasOf = perStore(() => new Map<string, Promise<void>>());

/**
 * The sagas of these charges that this process is running now, to wait for: between its
 * steps a saga has credited but not yet captured, which an audit must not take for a loss.
 */
export function sagasInFlight(
  context: CarrierContext,
  chargeIds: Iterable<string>,
): Promise<void>[] {
  const running = sagasOf(context.store);
  return [...chargeIds].flatMap((id) => {
    const settled = running.get(id);
    return settled === undefined ? [] : [settled];
  });
}

async function runSagaRounds(
  context: CarrierContext,
  chargeId: string,
  options: CompleteChargeOptions,
): Promise<ChargeRecord> {
  for (let round = 1; ; round++) {
    try {
      return await runSaga(context, chargeId, options);
    } catch (error) {
      if (!(error instanceof TransactionConflictError) || round >= SAGA_ROUNDS) throw error;
      await context.scheduler.delay(Math.round(SAGA_ROUND_PAUSE_MS * (1 + context.random.next())));
    }
  }
}

async function runSaga(
  context: CarrierContext,
  chargeId: string,
  options: CompleteChargeOptions,
): Promise<ChargeRecord> {
  const fulfilled = await context.store.transaction(async (tx) => {
    const charge = await requireCharge(tx, chargeId);
    if (charge.status !== 'authorized') return { charge };
    return { charge, refusal: await fulfil(tx, context, charge) };
  });
  if (fulfilled.charge.status !== 'authorized') return fulfilled.charge;

  if (fulfilled.refusal) {
    const refusal = fulfilled.refusal;
    return context.store.transaction((tx) => abandon(tx, context, chargeId, refusal));
  }
  crashPoint(context, 'after-credit');

  const captured = await context.store.transaction(async (tx) => {
    const current = await requireCharge(tx, chargeId);
    if (current.status !== 'authorized') return current;
    return capture(tx, context, chargeId, options);
  });
  crashPoint(context, 'after-capture');
  return captured;
}

/** What a purchase's first transaction recorded: its own record, and its authorized charge. */
export interface RecordedPurchase<T> {
  readonly value: T;
  /** The charge the gateway authorized, written by `insertAuthorizedCharge`; none if declined. */
  readonly charge?: ChargeRecord;
}

/**
 * Records a purchase and pays for it through the saga: `record` writes the purchase and its
 * authorized charge (`insertAuthorizedCharge`), then the charge is fulfilled and captured, or
 * voided if fulfilment is impossible. Returns what `record` returned.
 *
 * The three steps run in `record`'s transaction and commit at once, unless a crash point
 * between them is armed (`stepCrashPoints`): the gateway is this process's own, so nothing
 * outside it sees the states between the steps, and a crash before that one commit leaves
 * nothing bought, which the client's retry buys. One commit also writes each page the steps
 * share (the ledger's, the journal's, the charge's) once rather than once a step. With such a
 * point armed, each step commits before the next (`completeCharge`), so that the crash leaves
 * the state the point names. So do they on a store shared by replicas (PostgreSQL), where
 * other processes' transactions can conflict with these: a larger transaction lost more races
 * there (0.35-0.53 rollbacks per top-up at saturation with 2 and 3 replicas, against
 * 0.14-0.42), and a step that loses one is run again alone. With `later`, only the
 * authorization is recorded now, and the caller completes the charge when it is due
 * (`completeCharge`).
 */
export async function payThroughSaga<T>(
  context: CarrierContext,
  record: (tx: StoreTx) => Promise<RecordedPurchase<T>>,
  options: CompleteChargeOptions & { readonly later?: boolean } = {},
): Promise<T> {
  const atOnce =
    options.later !== true &&
    !context.replica.shared &&
    !stepCrashPoints.some((point) => context.crashPoints.isArmed(point));
  const recorded = await context.store.transaction(async (tx) => {
    const purchase = await record(tx);
    if (!atOnce || purchase.charge === undefined) return { purchase };
    return { purchase, settled: await settleAuthorized(tx, context, purchase.charge, options) };
  });
  const { charge } = recorded.purchase;
  if (charge === undefined) return recorded.purchase.value;
  if (recorded.settled !== undefined) {
    if (recorded.settled.status === 'captured') crashPoint(context, 'after-capture');
    return recorded.purchase.value;
  }
  crashPoint(context, 'after-authorize');
  if (options.later !== true) await completeCharge(context, charge.id, options);
  return recorded.purchase.value;
}

/**
 * The rest of the saga of a charge authorized in this transaction: fulfil, then capture; or,
 * if fulfilment is impossible, void. `completeCharge` runs the same steps, each in a
 * transaction of its own. Returns the settled charge.
 */
async function settleAuthorized(
  tx: StoreTx,
  context: CarrierContext,
  charge: ChargeRecord,
  options: CompleteChargeOptions,
): Promise<ChargeRecord> {
  const refusal = await fulfil(tx, context, charge);
  if (refusal) return abandon(tx, context, charge.id, refusal);
  return capture(tx, context, charge.id, options);
}

/** Delivers what the charge pays for; the refusal if that turned out impossible. */
async function fulfil(
  tx: StoreTx,
  context: CarrierContext,
  charge: ChargeRecord,
): Promise<ProblemError | undefined> {
  try {
    await fulfilmentOf(charge).fulfil(tx, context, charge);
    return undefined;
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    return error;
  }
}

async function abandon(
  tx: StoreTx,
  context: CarrierContext,
  chargeId: string,
  refusal: ProblemError,
): Promise<ChargeRecord> {
  const voided = await voidCharge(tx, context, chargeId);
  await fulfilmentOf(voided).abandoned(tx, context, voided, refusal);
  return voided;
}

async function capture(
  tx: StoreTx,
  context: CarrierContext,
  chargeId: string,
  options: CompleteChargeOptions,
): Promise<ChargeRecord> {
  const settled = await captureCharge(tx, context, chargeId);
  await fulfilmentOf(settled).succeeded(tx, context, settled);
  await options.withCapture?.(tx);
  return settled;
}

/**
 * Recovery: carries to its end every authorized charge whose saga nobody is running any more.
 * At start-up that is every charge a crash left authorized; among replicas sharing a store,
 * those held by a replica presumed dead (or stalled in this one). Each is claimed, by taking
 * its hold, in the transaction that finds it, so two replicas never both take one; the saga's
 * steps are idempotent besides, so a charge finished twice is still captured once.
 */
export async function resumeInterruptedCharges(context: CarrierContext): Promise<number> {
  const taken = await context.store.transaction(async (tx) => {
    const live = await liveReplicas(tx, context);
    const claimed: string[] = [];
    for (const charge of await resumableCharges(tx, context)) {
      if (!isAbandoned(context, live, charge.hold)) continue;
      await tx.update(charges, { ...charge, hold: holdNow(context) });
      if (charge.hold !== undefined && charge.hold.replica !== context.replica.id) {
        await recordEvent(tx, context, {
          type: 'charge.taken_over',
          tenantId: charge.tenantId,
          iccid: charge.iccid,
          data: { chargeId: charge.id, from: charge.hold.replica, by: context.replica.id },
        });
      }
      claimed.push(charge.id);
    }
    return claimed;
  });
  for (const chargeId of taken) await completeCharge(context, chargeId);
  if (taken.length > 0) {
    context.logger.info({ charges: taken.length }, 'resumed interrupted payments');
  }
  return taken.length;
}

/**
 * Authorized charges whose saga can run to its end now (an async top-up not yet due waits),
 * oldest first: what recovery resumes, and what a key's reply must wait for.
 */
export async function resumableCharges(
  tx: StoreTx,
  context: CarrierContext,
): Promise<ChargeRecord[]> {
  const authorized = await tx.find(charges, { status: 'authorized' }, { orderBy: 'createdAt' });
  const resumable: ChargeRecord[] = [];
  for (const charge of authorized) {
    const fulfilment = fulfilments.get(charge.purpose.kind);
    if (!fulfilment) continue;
    if (!fulfilment.resumeAtStartup || (await fulfilment.resumeAtStartup(tx, context, charge))) {
      resumable.push(charge);
    }
  }
  return resumable;
}

/** What the resumable charges pay for (top-up, renewal and cancellation ids). */
export async function unsettledPurchases(
  tx: StoreTx,
  context: CarrierContext,
): Promise<ReadonlySet<string>> {
  return new Set((await resumableCharges(tx, context)).map((charge) => charge.purpose.ref));
}

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
