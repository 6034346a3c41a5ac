import fc from 'fast-check';
import type { CompleteAuditInput } from '../audit/audit.ts';
import type { ChargeStatus, GatewayCharge } from '../audit/gateway-charge.ts';
import type { IdempotencyRecord } from '../audit/idempotency-record.ts';
import type { IntentStatus, TopupIntent } from '../audit/intent.ts';
import type { BucketKind } from '../catalog/data-rules.ts';
import type { PlanId } from '../catalog/plan.ts';
import { GB } from '../data/data-size.ts';
import { balanceOf } from '../ledger/balance.ts';
import { type DataFold, foldData, startDataFold } from '../ledger/data-fold.ts';
import type { ChargePurpose, CreditSourceKind, LedgerEntry } from '../ledger/ledger-entry.ts';
import type { Money } from '../money/money.ts';
import { DAY_MS, type EpochMillis, HOUR_MS } from '../time/instant.ts';
import { consumptionOrderArbitrary, testIccids } from './consumption-order.ts';

/**
 * How a purchase went at a correct carrier: `fulfilled` (captured, then fulfilled),
 * `declined` (authorized, then voided), `refunded` (captured, fulfilment failed, refunded),
 * `authorized` (a hold still pending), `not_charged` (the request never reached the gateway).
 */
export type PurchaseOutcome = 'fulfilled' | 'declined' | 'refunded' | 'authorized' | 'not_charged';
type ChargedOutcome = Exclude<PurchaseOutcome, 'not_charged'>;

/** What the client's intent log says; adjusted to the outcome so that the history stays clean. */
export type IntentChoice = IntentStatus | 'none';

export interface Grant {
  readonly bytes: number;
  readonly validityMs: number;
}

export type TopupStep = {
  readonly kind: 'topup';
  readonly esim: number;
  readonly outcome: PurchaseOutcome;
  readonly amountMinor: number;
  readonly bucket: 'pass' | 'boost';
  readonly grant: Grant;
  readonly intent: IntentChoice;
  readonly clientReference: boolean;
  readonly idempotencyKey: boolean;
  /** An `ok` intent that kept the top-up id from the response. */
  readonly rememberTopupId: boolean;
  /** The idempotency store holds the record twice (a replayed request), same fingerprint. */
  readonly replayedRecord: boolean;
};

export type PlanStep = {
  readonly kind: 'order' | 'renewal';
  readonly esim: number;
  readonly outcome: ChargedOutcome;
  readonly amountMinor: number;
  readonly grant: Grant;
  /** Orders only: the optional `Idempotency-Key` of `POST /v1/esims`. */
  readonly idempotencyKey: boolean;
};

export type FeeStep = {
  readonly kind: 'fee';
  readonly esim: number;
  readonly outcome: ChargedOutcome;
  readonly amountMinor: number;
  /** Cancellation closes the eSIM's buckets early with `data_expired` markers. */
  readonly closesBuckets: boolean;
};

/** One event of a generated carrier history. */
export type HistoryStep =
  | TopupStep
  | PlanStep
  | FeeStep
  | { readonly kind: 'promotion'; readonly esim: number; readonly grant: Grant }
  /** Uses a share (per mille) of what the eSIM has live: never more than it has. */
  | { readonly kind: 'usage'; readonly esim: number; readonly permille: number }
  | { readonly kind: 'wait'; readonly ms: number; readonly markExpired: boolean };

/** What the generator knows about each purchase, to plant violations and check reports. */
export interface Purchase {
  readonly purpose: ChargePurpose;
  readonly iccid: string;
  readonly outcome: PurchaseOutcome;
  readonly at: EpochMillis;
  readonly amount: Money;
  readonly chargeId?: string;
  readonly fulfilmentEntryId?: string;
  readonly intentId?: string;
  readonly intentStatus?: IntentStatus;
  readonly clientReference?: string;
  readonly idempotencyKey?: string;
}

/** A clean history (a correct carrier, a truthful client) and what generated it. */
export interface History {
  readonly input: CompleteAuditInput;
  readonly purchases: readonly Purchase[];
  /** The eSIMs steps may touch. */
  readonly esims: readonly string[];
  /** The time of the last step: planted records go after it. */
  readonly now: EpochMillis;
}

const grantArbitrary: fc.Arbitrary<Grant> = fc.record({
  bytes: fc.integer({ min: 1, max: 20 * GB }),
  validityMs: fc.integer({ min: HOUR_MS, max: 30 * DAY_MS }),
});
const esimArbitrary = fc.nat(testIccids.length - 1);
const amountArbitrary = fc.integer({ min: 1, max: 15_000 });
const chargedOutcome = fc.constantFrom<ChargedOutcome>(
  'fulfilled',
  'declined',
  'refunded',
  'authorized',
);

export const topupStepArbitrary: fc.Arbitrary<TopupStep> = fc.record({
  kind: fc.constant('topup' as const),
  esim: esimArbitrary,
  outcome: fc.constantFrom<PurchaseOutcome>(
    'fulfilled',
    'fulfilled',
    'declined',
    'refunded',
    'authorized',
    'not_charged',
  ),
  amountMinor: amountArbitrary,
  bucket: fc.constantFrom('pass' as const, 'boost' as const),
  grant: grantArbitrary,
  intent: fc.constantFrom<IntentChoice>('ok', 'failed', 'unknown', 'unknown', 'none'),
  clientReference: fc.boolean(),
  idempotencyKey: fc.boolean(),
  rememberTopupId: fc.boolean(),
  replayedRecord: fc.boolean(),
});

export const planStepArbitrary: fc.Arbitrary<PlanStep> = fc.record({
  kind: fc.constantFrom('order' as const, 'renewal' as const),
  esim: esimArbitrary,
  outcome: chargedOutcome,
  amountMinor: amountArbitrary,
  grant: grantArbitrary,
  idempotencyKey: fc.boolean(),
});

export const feeStepArbitrary: fc.Arbitrary<FeeStep> = fc.record({
  kind: fc.constant('fee' as const),
  esim: esimArbitrary,
  outcome: chargedOutcome,
  amountMinor: amountArbitrary,
  closesBuckets: fc.boolean(),
});

const stepArbitrary: fc.Arbitrary<HistoryStep> = fc.oneof(
  { arbitrary: topupStepArbitrary, weight: 5 },
  { arbitrary: planStepArbitrary, weight: 2 },
  { arbitrary: feeStepArbitrary, weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('promotion' as const),
      esim: esimArbitrary,
      grant: grantArbitrary,
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('usage' as const),
      esim: esimArbitrary,
      permille: fc.integer({ min: 0, max: 1000 }),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      ms: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 10 * DAY_MS })),
      markExpired: fc.boolean(),
    }),
    weight: 3,
  },
);

export const historyStepsArbitrary: fc.Arbitrary<HistoryStep[]> = fc.array(stepArbitrary, {
  maxLength: 40,
  // Long enough histories for purchases, usage and expiries to interleave.
  size: 'medium',
});

/**
 * Random clean histories: what a correct carrier and a truthful client would record.
 * `endingWith` appends one more step, whose purchase (if any) is the last in `purchases`.
 */
export function historyArbitrary(
  options: { readonly endingWith?: fc.Arbitrary<HistoryStep> } = {},
): fc.Arbitrary<History> {
  return fc
    .record({
      steps: historyStepsArbitrary,
      endingWith: options.endingWith
        ? options.endingWith.map((s): HistoryStep[] => [s])
        : fc.constant([]),
      consumptionOrder: consumptionOrderArbitrary,
    })
    .map(({ steps, endingWith, consumptionOrder }) =>
      buildHistory([...steps, ...endingWith], consumptionOrder),
    );
}

/** The top-up intents allowed for an outcome: `ok` needs a credit, `failed` no charge kept. */
function consistentIntent(choice: IntentChoice, outcome: PurchaseOutcome): IntentChoice {
  if (choice === 'ok' && outcome !== 'fulfilled') return 'unknown';
  const keptMoney = outcome === 'fulfilled' || outcome === 'authorized';
  if (choice === 'failed' && keptMoney) return 'unknown';
  return choice;
}

/** Replays steps as a correct carrier would record them. */
export function buildHistory(
  steps: readonly HistoryStep[],
  consumptionOrder: readonly BucketKind[],
): History {
  const ledger: LedgerEntry[] = [];
  const charges: GatewayCharge[] = [];
  const intents: TopupIntent[] = [];
  const idempotencyRecords: IdempotencyRecord[] = [];
  const purchases: Purchase[] = [];
  const buckets: { iccid: string; bucketId: string; expiresAt: EpochMillis; closed: boolean }[] =
    [];
  const counters = new Map<string, number>();
  const next = (prefix: string): string => {
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    return `${prefix}_${n}`;
  };
  const perEsim = (iccid: string, prefix: string): string =>
    next(`${iccid}/${prefix}`).slice(iccid.length + 1);
  let now: EpochMillis = Date.UTC(2026, 2, 7, 15);
  const iccidOf = (esim: number): string => testIccids[esim % testIccids.length] ?? testIccids[0];
  // Each eSIM's balance is kept as a running fold, fed the entries written since it last read.
  const folds = new Map<string, DataFold>();
  const unfolded = new Map<string, LedgerEntry[]>();
  const balanceNow = (iccid: string) => {
    const fold = foldData(
      folds.get(iccid) ?? startDataFold(consumptionOrder),
      unfolded.get(iccid) ?? [],
    );
    folds.set(iccid, fold);
    unfolded.set(iccid, []);
    return balanceOf(fold, now);
  };
  const write = (entry: LedgerEntry): string => {
    ledger.push(entry);
    const pending = unfolded.get(entry.iccid);
    if (pending) pending.push(entry);
    else unfolded.set(entry.iccid, [entry]);
    return entry.id;
  };

  const charge = (
    iccid: string,
    purpose: ChargePurpose,
    amount: Money,
    outcome: ChargedOutcome,
    tags: { clientReference?: string; idempotencyKey?: string },
  ): string => {
    const chargeId = next('ch');
    write({ type: 'charge_authorized', id: next('le'), at: now, iccid, chargeId, amount, purpose });
    const status: ChargeStatus = {
      fulfilled: 'captured' as const,
      declined: 'voided' as const,
      refunded: 'refunded' as const,
      authorized: 'authorized' as const,
    }[outcome];
    if (outcome === 'fulfilled' || outcome === 'refunded') {
      write({ type: 'charge_captured', id: next('le'), at: now, iccid, chargeId });
    }
    if (outcome === 'refunded')
      write({ type: 'charge_refunded', id: next('le'), at: now, iccid, chargeId });
    if (outcome === 'declined')
      write({ type: 'charge_voided', id: next('le'), at: now, iccid, chargeId });
    charges.push({ id: chargeId, amount, status, purpose, createdAt: now, ...tags });
    return chargeId;
  };

  const credit = (
    iccid: string,
    bucket: BucketKind,
    grant: Grant,
    source: { kind: CreditSourceKind; ref: string },
  ): string => {
    const bucketId = next('bk');
    const expiresAt = now + grant.validityMs;
    buckets.push({ iccid, bucketId, expiresAt, closed: false });
    return write({
      type: 'data_credited',
      id: next('le'),
      at: now,
      iccid,
      bucketId,
      bucket,
      bytes: grant.bytes,
      expiresAt,
      source,
    });
  };

  const close = (shouldClose: (b: (typeof buckets)[number]) => boolean): void => {
    for (const b of buckets) {
      if (b.closed || !shouldClose(b)) continue;
      b.closed = true;
      write({
        type: 'data_expired',
        id: next('le'),
        at: now,
        iccid: b.iccid,
        bucketId: b.bucketId,
      });
    }
  };

  for (const step of steps) {
    switch (step.kind) {
      case 'order':
      case 'renewal': {
        const iccid = iccidOf(step.esim);
        const source = { kind: step.kind, ref: next(step.kind === 'order' ? 'ord' : 'rn') };
        const purpose: ChargePurpose = source;
        const amount = usdMinor(step.amountMinor);
        // Order keys are scoped to POST /v1/esims, shared by every eSIM: they must be unique.
        const idempotencyKey =
          step.kind === 'order' && step.idempotencyKey ? next('order-key') : undefined;
        const chargeId = charge(
          iccid,
          purpose,
          amount,
          step.outcome,
          idempotencyKey ? { idempotencyKey } : {},
        );
        if (idempotencyKey) {
          idempotencyRecords.push({
            key: idempotencyKey,
            scope: { tenantId: 'dev', method: 'POST', path: '/v1/esims' },
            requestFingerprint: `order:${purpose.ref}`,
          });
        }
        const fulfilmentEntryId =
          step.outcome === 'fulfilled' ? credit(iccid, 'base', step.grant, source) : undefined;
        purchases.push({
          purpose,
          iccid,
          outcome: step.outcome,
          at: now,
          amount,
          chargeId,
          ...(fulfilmentEntryId ? { fulfilmentEntryId } : {}),
          ...(idempotencyKey ? { idempotencyKey } : {}),
        });
        break;
      }
      case 'fee': {
        const iccid = iccidOf(step.esim);
        const purpose: ChargePurpose = { kind: 'fee', ref: next('cx') };
        const amount = usdMinor(step.amountMinor);
        const chargeId = charge(iccid, purpose, amount, step.outcome, {});
        const fulfilmentEntryId =
          step.outcome === 'fulfilled'
            ? write({
                type: 'fee_assessed',
                id: next('le'),
                at: now,
                iccid,
                chargeId,
                amount,
                ref: purpose.ref,
              })
            : undefined;
        if (step.closesBuckets) close((b) => b.iccid === iccid);
        purchases.push({
          purpose,
          iccid,
          outcome: step.outcome,
          at: now,
          amount,
          chargeId,
          ...(fulfilmentEntryId ? { fulfilmentEntryId } : {}),
        });
        break;
      }
      case 'topup': {
        const iccid = iccidOf(step.esim);
        const source = { kind: 'topup' as const, ref: next('tu') };
        const purpose: ChargePurpose = source;
        const amount = usdMinor(step.amountMinor);
        const intentChoice = consistentIntent(step.intent, step.outcome);
        // An unknown intent can only be resolved through a reference or key it shares with its charge.
        const needsLink = intentChoice === 'unknown' && !step.idempotencyKey;
        // References and keys are per eSIM (`ref-1` on two eSIMs is two references), as clients number them.
        const clientReference =
          step.clientReference || needsLink ? perEsim(iccid, 'ref') : undefined;
        const idempotencyKey = step.idempotencyKey ? perEsim(iccid, 'key') : undefined;
        const tags = {
          ...(clientReference ? { clientReference } : {}),
          ...(idempotencyKey ? { idempotencyKey } : {}),
        };
        const planId = `test-${step.bucket}-${step.grant.bytes}` as PlanId;
        const chargeId =
          step.outcome === 'not_charged'
            ? undefined
            : charge(iccid, purpose, amount, step.outcome, tags);
        if (idempotencyKey && step.outcome !== 'not_charged') {
          const record: IdempotencyRecord = {
            key: idempotencyKey,
            scope: { tenantId: 'dev', method: 'POST', path: `/v1/esims/${iccid}/topups` },
            requestFingerprint: `${planId}:${clientReference ?? ''}`,
          };
          idempotencyRecords.push(record, ...(step.replayedRecord ? [record] : []));
        }
        const fulfilmentEntryId =
          step.outcome === 'fulfilled' ? credit(iccid, step.bucket, step.grant, source) : undefined;
        let intentId: string | undefined;
        if (intentChoice !== 'none') {
          intentId = next('int');
          const linkable = clientReference !== undefined || idempotencyKey !== undefined;
          intents.push({
            intentId,
            iccid,
            planId,
            ...tags,
            outcome:
              intentChoice === 'ok'
                ? step.rememberTopupId || !linkable
                  ? { status: 'ok', topupId: purpose.ref }
                  : { status: 'ok' }
                : { status: intentChoice },
          });
        }
        purchases.push({
          purpose,
          iccid,
          outcome: step.outcome,
          at: now,
          amount,
          ...(chargeId ? { chargeId } : {}),
          ...(fulfilmentEntryId ? { fulfilmentEntryId } : {}),
          ...(intentId && intentChoice !== 'none' ? { intentId, intentStatus: intentChoice } : {}),
          ...tags,
        });
        break;
      }
      case 'promotion': {
        const iccid = iccidOf(step.esim);
        credit(iccid, 'promo', step.grant, { kind: 'promotion', ref: next('promo') });
        break;
      }
      case 'usage': {
        const iccid = iccidOf(step.esim);
        const { dataRemainingBytes } = balanceNow(iccid);
        const scaled = dataRemainingBytes * step.permille;
        // Exact integer division: (scaled - remainder) is a multiple of 1000.
        const bytes = (scaled - (scaled % 1000)) / 1000;
        write({ type: 'data_consumed', id: next('le'), at: now, iccid, bytes });
        break;
      }
      case 'wait':
        now += step.ms;
        if (step.markExpired) close((b) => b.expiresAt <= now);
        break;
    }
  }

  return {
    input: { ledger, charges, consumptionOrder, intents, idempotencyRecords },
    purchases,
    esims: [...testIccids],
    now,
  };
}

const usdMinor = (amount: number): Money => ({ amount, currency: 'USD' });
