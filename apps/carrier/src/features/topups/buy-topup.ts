import {
  type AddonPlan,
  type ApiStyle,
  activePromotions,
  findPlan,
  promotionBonusBytes,
} from '@esimlab/domain';
import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import type { IdempotencyClaim } from '../../http/idempotency.ts';
import { ProblemError } from '../../http/problem.ts';
import { type EsimRecord, type TopupRecord, topups } from '../../persistence/collections.ts';
import { authorizeCharge, declineProblem } from '../gateway/authorize-charge.ts';
import { insertAuthorizedCharge } from '../gateway/charge-settlement.ts';
import { isTestPaymentMethod, paymentBehaviour } from '../gateway/payment-methods.ts';
import { balanceNow } from '../ledger/esim-ledger.ts';
import { payThroughSaga } from '../saga/payment-saga.ts';
import { readSettings } from '../settings/carrier-settings.ts';
import { scheduleAsyncCompletion } from './async-completion.ts';
import { notifyTopup } from './topup-notifications.ts';

export interface TopupOrder {
  readonly tenantId: string;
  readonly iccid: string;
  readonly planId: string;
  readonly paymentMethod: string;
  readonly clientReference?: string;
}

/**
 * What a purchase came to: a top-up left pending, which the carrier completes later (`async`),
 * or one its saga has settled, by id: its answer is read from it (under a key, in the
 * capture's transaction, which stores it).
 */
export type TopupPurchaseResult =
  | { readonly status: 'pending'; readonly topup: TopupRecord }
  | { readonly status: 'settled'; readonly topupId: string };

/**
 * The add-on a top-up may buy on this carrier, or 422 `plan_not_found` (top-ups sell add-ons;
 * base plans are ordered with POST /v1/esims and renew by themselves).
 */
export function requireAddonPlan(context: CarrierContext, planId: string): AddonPlan {
  const found = findPlan(context.profile.id, planId, 'addon');
  if (found.ok) return found.value;
  throw new ProblemError(422, 'plan_not_found', found.error.message, {
    extensions: { errors: [{ field: 'body.planId', message: found.error.message }] },
  });
}

/**
 * Why the eSIM cannot take this add-on now, or undefined if it can: it must be in service, and
 * a second pass is refused where the carrier allows one active pass at a time. Read before
 * any money moves (the route reads it where it claims the request's key, if there is one), and
 * answered as a 409 stored under that key.
 */
export async function topupRefusal(
  tx: StoreTx,
  context: CarrierContext,
  esim: EsimRecord,
  plan: AddonPlan,
): Promise<ProblemError | undefined> {
  // Only the stored status makes a service `cancelled` (serviceStatusAt derives `expired`
  // alone), so the balance, a fold of the eSIM's whole ledger, is read for the pass rule only.
  if (esim.status === 'cancelled') {
    return new ProblemError(
      409,
      'esim_cancelled',
      `eSIM ${esim.iccid} is cancelled; order a new one with POST /v1/esims`,
    );
  }
  if (plan.addonKind === 'pass' && context.profile.dataRules.onePassAtATime) {
    const balance = await balanceNow(tx, context, esim.iccid);
    const live = balance.buckets.find((b) => b.bucket === 'pass' && b.remainingBytes > 0);
    if (live) {
      return new ProblemError(
        409,
        'pass_already_active',
        `${context.profile.displayName} allows one active pass at a time and this eSIM's pass lasts until ${new Date(live.expiresAt).toISOString()}; buy a boost instead, or wait`,
      );
    }
  }
  return undefined;
}

/**
 * Buys an add-on through the payment saga (`payThroughSaga`): authorize → credit → capture,
 * committed with the top-up and the answer stored under the request's key. A decline records a
 * failed top-up and charges nothing. In the `async` style the top-up is left pending,
 * authorized, and completed later. Check `topupRefusal` first.
 */
export async function buyTopup(
  context: CarrierContext,
  order: TopupOrder,
  plan: AddonPlan,
  options: {
    /** The style the request was admitted under, recorded on the top-up. */
    readonly apiStyle: ApiStyle;
    readonly claim?: IdempotencyClaim;
    readonly idempotencyKey?: string;
    readonly signal?: AbortSignal;
  },
): Promise<TopupPurchaseResult> {
  const topupId = context.ids.next('tu');
  const decision = await authorizeCharge(context, {
    tenantId: order.tenantId,
    iccid: order.iccid,
    amount: plan.price,
    purpose: { kind: 'topup', ref: topupId },
    paymentMethod: order.paymentMethod,
    ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
    ...(order.clientReference === undefined ? {} : { clientReference: order.clientReference }),
  });
  // A client that hung up before anything was committed gets nothing: no top-up, no charge
  // (the `reference` style's promise that a disconnected request is abandoned).
  if (options.signal?.aborted) {
    // 499, as nginx logs it: nobody is left to read this answer.
    throw new ProblemError(
      499,
      'client_closed_request',
      'the client disconnected before the purchase was committed; nothing was bought',
    );
  }

  const now = context.clock.now();
  const bonusBytes = activePromotions(context.profile, plan, now).reduce(
    (sum, promotion) => sum + promotionBonusBytes(promotion, plan),
    0,
  );

  const { apiStyle, claim } = options;
  const topup = await payThroughSaga(
    context,
    async (tx) => {
      const base: TopupRecord = {
        id: topupId,
        tenantId: order.tenantId,
        iccid: order.iccid,
        planId: plan.id,
        status: 'pending',
        amount: plan.price,
        dataBytes: plan.dataBytes,
        bonusBytes,
        chargeId: null,
        clientReference: order.clientReference ?? null,
        paymentMethod: order.paymentMethod,
        apiStyle,
        createdAt: now,
        completedAt: null,
      };
      if (decision.status === 'declined') {
        const failed: TopupRecord = {
          ...base,
          status: 'failed',
          failureCode: decision.code,
          completedAt: now,
        };
        await tx.insert(topups, failed);
        await claim?.attach(tx, { kind: 'topup', id: topupId });
        await notifyTopup(tx, context, failed);
        return { value: failed };
      }
      const charge = await insertAuthorizedCharge(tx, context, decision);
      const pending: TopupRecord = {
        ...base,
        chargeId: charge.id,
        ...(apiStyle === 'async'
          ? { dueAt: now + (await readSettings(tx, context)).asyncCompletionMs }
          : {}),
      };
      await tx.insert(topups, pending);
      await claim?.attach(tx, { kind: 'topup', id: topupId });
      return { value: pending, charge };
    },
    {
      // Completed when due (async-completion.ts), answering the key itself then.
      later: apiStyle === 'async',
      // The answer stored under the request's key, in the capture's transaction.
      ...(claim
        ? { withCapture: (tx: StoreTx) => claim.complete(tx, { kind: 'topup', id: topupId }) }
        : {}),
    },
  );

  // Only a decline records a failed top-up here.
  if (decision.status === 'declined') throw withTopup(declineProblem(decision), topup);
  if (apiStyle === 'async') {
    scheduleAsyncCompletion(context, topup);
    return { status: 'pending', topup };
  }
  return { status: 'settled', topupId };
}

/**
 * The 402 a declined purchase was answered with, rebuilt from the failed top-up it recorded
 * (recovery answers a key a crash left in progress with it); undefined if it was no decline.
 */
export function declineOfTopup(topup: TopupRecord): ProblemError | undefined {
  if (topup.status !== 'failed' || topup.chargeId !== null) return undefined;
  if (!isTestPaymentMethod(topup.paymentMethod)) return undefined;
  const behaviour = paymentBehaviour(topup.paymentMethod);
  if (behaviour.kind !== 'decline') return undefined;
  return withTopup(
    declineProblem({
      status: 'declined',
      code: behaviour.code,
      detail: behaviour.detail,
      ...(behaviour.retryAfterSeconds === undefined
        ? {}
        : { retryAfterSeconds: behaviour.retryAfterSeconds }),
    }),
    topup,
  );
}

/**
 * The 409 a purchase refused when its data came to be credited is answered with (`topupRefusal`
 * found the eSIM cancelled, or another pass active, after the purchase was checked): rebuilt
 * from the failed top-up, whose charge the saga voided, so a retry under the same key and
 * recovery answer alike; undefined for any other top-up.
 */
export function refusalOfTopup(topup: TopupRecord): ProblemError | undefined {
  if (topup.status !== 'failed' || topup.chargeId === null) return undefined;
  const voided = `its charge ${topup.chargeId} was voided and nothing was bought`;
  switch (topup.failureCode) {
    case 'esim_cancelled':
      return withTopup(
        new ProblemError(
          409,
          'esim_cancelled',
          `eSIM ${topup.iccid} was cancelled before top-up ${topup.id} was credited; ${voided}`,
        ),
        topup,
      );
    case 'pass_already_active':
      return withTopup(
        new ProblemError(
          409,
          'pass_already_active',
          `another pass became active on eSIM ${topup.iccid} before top-up ${topup.id} was credited, and this carrier allows one at a time; ${voided}`,
        ),
        topup,
      );
    default:
      return undefined;
  }
}

/** The decline, naming the failed top-up it recorded. */
function withTopup(problem: ProblemError, topup: TopupRecord): ProblemError {
  return new ProblemError(problem.status, problem.code, problem.message, {
    extensions: { ...problem.extensions, topupId: topup.id },
    headers: { ...problem.headers },
  });
}
