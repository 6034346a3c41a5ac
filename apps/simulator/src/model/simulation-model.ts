import {
  type AddonPlan,
  type ApiStyle,
  activePromotions,
  type BasePlan,
  type BucketKind,
  type CarrierId,
  type CarrierProfile,
  carrierProfiles,
  deriveBalance,
  type LedgerEntry,
  type Plan,
  plansOf,
  promotionBonusBytes,
  type TopupIntent,
} from '@esimlab/domain';
import type { FaultKind } from '@esimlab/faults';
import type { TestPaymentMethod } from './payment-methods.ts';

/** Where a simulated phone can be: under full coverage, or where no carrier has any signal. */
export type Place = 'metro' | 'quiet-zone';

/** Points with the same signal on every carrier's map (MoveDevice checks what devices show). */
export const placeLocations: Readonly<Record<Place, { lat: number; lon: number }>> = {
  // New York metro: good signal everywhere.
  metro: { lat: 40.7128, lon: -74.006 },
  // The National Radio Quiet Zone (Green Bank, WV): no signal for anyone.
  'quiet-zone': { lat: 38.4331, lon: -79.8398 },
};

export const expectedSignal: Readonly<Record<Place, 'good' | 'none'>> = {
  metro: 'good',
  'quiet-zone': 'none',
};

/** One activated eSIM, in a phone, as the model predicts it. */
export interface EsimModel {
  /** `e1`, `e2`, …: how commands and reports name it. */
  readonly label: string;
  readonly iccid: string;
  readonly eid: string;
  place: Place;
  /** Bytes certainly credited: the base plan and every top-up the client saw succeed. */
  creditedBytes: number;
  /** Bytes the carrier reported consumed. */
  usedBytes: number;
  /**
   * The data credits and uses in the order they happened, with no expiry (a run never reaches
   * one): the buckets the carrier's rules look at, such as "a pass with data left".
   */
  readonly ledger: LedgerEntry[];
  /** An unknown top-up touched this eSIM: its buckets may hold data the model cannot place. */
  uncertain: boolean;
}

export type IntentStatus = 'ok' | 'failed' | 'unknown';

/** A top-up the client attempted: what it was, what the client concluded, what it credits. */
export interface IntentModel {
  readonly intentId: string;
  readonly esim: EsimModel;
  readonly plan: AddonPlan;
  readonly paymentMethod: TestPaymentMethod;
  /** The buckets its top-up credits: the add-on's data, and any promotion bonus. */
  readonly credits: readonly { readonly bucket: BucketKind; readonly bytes: number }[];
  status: IntentStatus;
  /** The intent as the audit reads it, with the latest outcome. */
  intent: TopupIntent;
  /** How the checker resolved an `unknown` intent at the end. */
  resolution?: 'credited' | 'not_credited';
}

/**
 * What the model predicts about one run: the eSIMs and their balances, the intents and what
 * each may still become, the faults in force, and the clock's budget.
 */
export interface SimulationModel {
  readonly carrier: CarrierId;
  readonly profile: CarrierProfile;
  readonly apiStyle: ApiStyle;
  /** The base plan eSIMs are ordered on (no confirmation code). */
  readonly basePlan: BasePlan;
  readonly addons: readonly AddonPlan[];
  /** The fault kinds this run may arm. */
  readonly faultKinds: readonly FaultKind[];
  readonly esims: EsimModel[];
  readonly intents: IntentModel[];
  /** The carrier's clock when the run began. */
  readonly startedAt: number;
  /**
   * The clock must not pass this: every bucket stays unexpired and no promotion window opens,
   * so balances are sums. Runs start on a Wednesday at 06:00 local time and stop by 16:00.
   */
  readonly horizonAt: number;
  /** HTTP fault rules armed (they may make any request fail). */
  httpFaults: number;
  webhookFaults: number;
  /** A saga crash point may still be armed: a purchase may crash the carrier. */
  crashPossible: boolean;
  /** Fault rules added so far (their ids are `f1`, `f2`, …). */
  rulesAdded: number;
  /** How far the clock was advanced on purpose (the rest of the budget is for waiting). */
  clockAdvancedMs: number;
  webhookEndpointId: string;
  /** One line per command run, for reports. */
  readonly timeline: string[];
  /** The command running now, and where its timeline line goes: a report names it when it breaks the model. */
  running?: { readonly command: string; readonly line: number };
  sequence: number;
}

/** How long a run may move the carrier's clock, from its start. */
export const CLOCK_BUDGET_MS = 10 * 60 * 60 * 1000;

/** How much of that the clock may be advanced on purpose; waiting (backoffs, deadlines) uses the rest. */
export const ADVANCE_BUDGET_MS = 6 * 60 * 60 * 1000;

export function createModel(input: {
  readonly carrier: CarrierId;
  readonly apiStyle: ApiStyle;
  readonly faultKinds: readonly FaultKind[];
  /** The kinds of add-on purchases may buy; default both. */
  readonly addonKinds?: readonly AddonKind[];
  readonly startedAt: number;
  readonly webhookEndpointId: string;
}): SimulationModel {
  const profile = carrierProfiles[input.carrier];
  const plans = plansOf(input.carrier);
  const basePlan = plans.find(
    (p): p is BasePlan => p.kind === 'base' && !p.confirmationCodeRequired,
  );
  if (!basePlan) throw new Error(`${input.carrier} sells no base plan without a confirmation code`);
  return {
    carrier: input.carrier,
    profile,
    apiStyle: input.apiStyle,
    basePlan,
    addons: addonsOf(input.carrier, input.addonKinds),
    faultKinds: input.faultKinds,
    esims: [],
    intents: [],
    startedAt: input.startedAt,
    horizonAt: input.startedAt + CLOCK_BUDGET_MS,
    httpFaults: 0,
    webhookFaults: 0,
    crashPossible: false,
    rulesAdded: 0,
    clockAdvancedMs: 0,
    webhookEndpointId: input.webhookEndpointId,
    timeline: [],
    sequence: 0,
  };
}

/** The credits a purchase of `plan` at `at` brings: its data, and any promotion bonus. */
export function creditsOf(
  profile: CarrierProfile,
  plan: Plan,
  at: number,
): { bucket: BucketKind; bytes: number }[] {
  const bonus = activePromotions(profile, plan, at).reduce(
    (sum, promotion) => sum + promotionBonusBytes(promotion, plan),
    0,
  );
  const bucket: BucketKind = plan.kind === 'base' ? 'base' : plan.addonKind;
  return [
    { bucket, bytes: plan.dataBytes },
    ...(bonus > 0 ? [{ bucket: 'promo' as const, bytes: bonus }] : []),
  ];
}

/** Records credits in the eSIM's model ledger, in the order they happen. */
export function credit(
  model: SimulationModel,
  esim: EsimModel,
  credits: readonly { readonly bucket: BucketKind; readonly bytes: number }[],
  ref: string,
): void {
  for (const [index, c] of credits.entries()) {
    const at = ++model.sequence;
    esim.creditedBytes += c.bytes;
    esim.ledger.push({
      type: 'data_credited',
      id: `m${at}`,
      at,
      iccid: esim.iccid,
      bucketId: `${ref}-${index}`,
      bucket: c.bucket,
      bytes: c.bytes,
      expiresAt: Number.MAX_SAFE_INTEGER,
      source: {
        kind: c.bucket === 'base' ? 'order' : c.bucket === 'promo' ? 'promotion' : 'topup',
        ref,
      },
    });
  }
}

/** Records data the carrier said it consumed. */
export function consume(model: SimulationModel, esim: EsimModel, bytes: number): void {
  if (bytes <= 0) return;
  const at = ++model.sequence;
  esim.usedBytes += bytes;
  esim.ledger.push({ type: 'data_consumed', id: `m${at}`, at, iccid: esim.iccid, bytes });
}

/** The unknown intents of an eSIM not yet resolved: each may or may not have been credited. */
export const unresolvedIntents = (model: SimulationModel, esim: EsimModel): IntentModel[] =>
  model.intents.filter(
    (i) => i.esim === esim && i.status === 'unknown' && i.resolution === undefined,
  );

/**
 * The data the eSIM may have left: at least what is certainly credited minus what was used,
 * at most that plus every unresolved top-up.
 */
export function remainingRange(
  model: SimulationModel,
  esim: EsimModel,
): { readonly min: number; readonly max: number } {
  const certain = esim.creditedBytes - esim.usedBytes;
  const maybe = unresolvedIntents(model, esim).reduce(
    (sum, i) => sum + i.credits.reduce((s, c) => s + c.bytes, 0),
    0,
  );
  return { min: Math.max(0, certain), max: certain + maybe };
}

/**
 * Whether the eSIM has a pass with data left (the carrier then refuses a second one where it
 * sells one pass at a time), or `unknown` when an unknown top-up makes the buckets uncertain.
 */
export function passWithData(model: SimulationModel, esim: EsimModel): boolean | 'unknown' {
  if (esim.uncertain) return 'unknown';
  const balance = deriveBalance(esim.ledger, {
    at: model.sequence + 1,
    consumptionOrder: model.profile.dataRules.consumptionOrder,
  });
  return balance.buckets.some((b) => b.bucket === 'pass' && b.remainingBytes > 0);
}

/** Whether a request may fail for reasons the model does not control (faults, crashes). */
export const underFaults = (model: SimulationModel): boolean =>
  model.httpFaults > 0 || model.crashPossible;

/** What an add-on is: a pass (a time-boxed bundle, one at a time on some carriers) or a boost. */
export type AddonKind = AddonPlan['addonKind'];

export const addonKinds: readonly AddonKind[] = ['pass', 'boost'];

/** The add-ons a run's purchases choose from, in catalog order: `TopUp` picks one by index. */
export function addonsOf(
  carrier: CarrierId,
  kinds: readonly AddonKind[] = addonKinds,
): AddonPlan[] {
  return plansOf(carrier).filter(
    (p): p is AddonPlan => p.kind === 'addon' && kinds.includes(p.addonKind),
  );
}
