import {
  type AttemptResult,
  isCarrierRequestError,
  purchaseTopup,
  type TopupOutcome,
} from '@esimlab/client';
import type { TopupIntent } from '@esimlab/domain';
import type { CarrierWorld } from '../carrier-world.ts';
import type { TestPaymentMethod } from '../payment-methods.ts';
import {
  credit,
  type EsimModel,
  type IntentModel,
  type IntentStatus,
  passWithData,
  type SimulationModel,
  underFaults,
} from '../simulation-model.ts';
import { judgePurchase } from './purchase-expectations.ts';

export interface PurchaseRequest {
  readonly intentId: string;
  readonly esim: EsimModel;
  readonly plan: IntentModel['plan'];
  readonly paymentMethod: TestPaymentMethod;
  readonly credits: IntentModel['credits'];
}

export interface JudgedPurchase {
  readonly status: IntentStatus;
  readonly intent: TopupIntent;
  readonly outcome: TopupOutcome;
  /** The requests it took, each as `create→201`, `lookup→reset`, …, for the timeline. */
  readonly requests: readonly string[];
}

/**
 * Buys through the client under test (its strategy, retry policy and clock) and judges the
 * outcome against the model; `resume` picks up an intent that ended unknown, as an app does
 * when the user opens it again: the same intent id, so the same key or reference.
 */
export async function purchase(
  model: SimulationModel,
  world: CarrierWorld,
  request: PurchaseRequest,
  options: { readonly resume: boolean },
): Promise<JudgedPurchase> {
  const { esim, plan } = request;
  const passRefused =
    plan.addonKind === 'pass' && model.profile.dataRules.onePassAtATime
      ? passWithData(model, esim)
      : false;
  const faulty = underFaults(model);
  await world.whenUp();
  const bought =
    options.resume && world.strategy.apiStyle === 'reference'
      ? await resumeByReference(world, request)
      : await purchaseAgain(world, request);
  const requests = bought.requests.join(', ');
  const status = judgePurchase(
    {
      requests,
      esim: esim.label,
      intentId: request.intentId,
      paymentMethod: request.paymentMethod,
      passRefused,
      underFaults: faulty,
      planId: plan.id,
      dataBytes: plan.dataBytes,
      bonusBytes: request.credits
        .filter((c) => c.bucket === 'promo')
        .reduce((sum, c) => sum + c.bytes, 0),
    },
    bought.outcome,
  );
  if (status === 'ok') credit(model, esim, request.credits, request.intentId);
  if (status === 'unknown') esim.uncertain = true;
  return { status, intent: bought.intent, outcome: bought.outcome, requests: bought.requests };
}

type Bought = { outcome: TopupOutcome; intent: TopupIntent; requests: readonly string[] };

async function purchaseAgain(world: CarrierWorld, request: PurchaseRequest): Promise<Bought> {
  const bought = await purchaseTopup(
    world.client,
    {
      intentId: request.intentId,
      iccid: request.esim.iccid,
      planId: request.plan.id,
      paymentMethod: request.paymentMethod,
    },
    { ...world.purchaseOptions, strategy: world.strategy },
  );
  return {
    outcome: bought.outcome,
    intent: bought.intent,
    requests: bought.attempts.map((a) => `${a.request}→${describeResult(a.result)}`),
  };
}

/**
 * A `reference`-style intent whose answer was lost is resumed the way its contract says:
 * wait out anything still in flight, look the clientReference up, and buy again only when
 * nothing carries it. A lookup that fails leaves the intent unknown.
 */
async function resumeByReference(world: CarrierWorld, request: PurchaseRequest): Promise<Bought> {
  const purchaseOf = {
    intentId: request.intentId,
    iccid: request.esim.iccid,
    planId: request.plan.id,
    paymentMethod: request.paymentMethod,
  };
  const identifiers = world.strategy.identify(purchaseOf);
  const reference = identifiers.clientReference ?? `topup-${request.intentId}`;
  const intentWith = (outcome: TopupOutcome): TopupIntent => ({
    intentId: request.intentId,
    iccid: request.esim.iccid,
    planId: request.plan.id,
    clientReference: reference,
    ...(identifiers.idempotencyKey === undefined
      ? {}
      : { idempotencyKey: identifiers.idempotencyKey }),
    outcome:
      outcome.status === 'ok'
        ? { status: 'ok', topupId: outcome.topup.id }
        : { status: outcome.status },
  });
  await world.pause(world.settleMs);
  let found: Awaited<ReturnType<typeof world.client.listTopups>>;
  try {
    found = await world.client.listTopups(request.esim.iccid, { clientReference: reference });
  } catch (error) {
    if (!isCarrierRequestError(error)) throw error;
    const outcome: TopupOutcome = {
      status: 'unknown',
      reason: `looking up ${reference} failed: ${error.message}`,
    };
    return { outcome, intent: intentWith(outcome), requests: ['lookup→failed'] };
  }
  const decisive =
    found.find((t) => t.status === 'succeeded') ??
    found.find((t) => t.status === 'pending') ??
    found.find((t) => t.status === 'failed' && t.failureCode !== 'processing_error');
  if (decisive === undefined) {
    const bought = await purchaseAgain(world, request);
    return { ...bought, requests: ['lookup→none', ...bought.requests] };
  }
  const outcome: TopupOutcome =
    decisive.status === 'succeeded'
      ? { status: 'ok', topup: decisive }
      : decisive.status === 'failed'
        ? { status: 'failed', topup: decisive }
        : { status: 'unknown', reason: `top-up ${decisive.id} is still pending` };
  return { outcome, intent: intentWith(outcome), requests: [`lookup→${decisive.status}`] };
}

function describeResult(result: AttemptResult): string {
  if (result.type === 'network-error') {
    return `${result.kind}${result.httpStatus === undefined ? '' : ` after ${result.httpStatus}`}`;
  }
  return `${result.httpStatus}${result.code === undefined ? '' : ` ${result.code}`}${result.topupStatus === undefined ? '' : ` ${result.topupStatus}`}`;
}
