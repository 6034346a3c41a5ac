import type { CompleteAuditInput } from '../audit/audit.ts';
import type { GatewayCharge } from '../audit/gateway-charge.ts';
import type { IdempotencyRecord } from '../audit/idempotency-record.ts';
import type { IntentOutcome } from '../audit/intent.ts';
import type { ViolationEvidence } from '../audit/violation.ts';
import { deriveBalance } from '../ledger/balance.ts';
import type { CreditSourceKind, LedgerEntry } from '../ledger/ledger-entry.ts';
import { DAY_MS } from '../time/instant.ts';
import type { History, Purchase } from './clean-history.ts';

/**
 * A history with one fault planted after its last step, and the records that prove it.
 * These are the mutants that show the audit can fail: each must be reported, exactly.
 */
export interface Planted {
  readonly input: CompleteAuditInput;
  /** The planted or affected records, sorted, as the violation's evidence should name them. */
  readonly evidence: ViolationEvidence;
}

type Input = CompleteAuditInput;

const planted = (input: Input, evidence: Partial<ViolationEvidence>): Planted => ({
  input,
  evidence: {
    chargeIds: [...(evidence.chargeIds ?? [])].sort(),
    entryIds: [...(evidence.entryIds ?? [])].sort(),
    intentIds: [...(evidence.intentIds ?? [])].sort(),
    idempotencyKeys: [...(evidence.idempotencyKeys ?? [])].sort(),
  },
});

const intentIdsOf = (p: Purchase): string[] => (p.intentId ? [p.intentId] : []);

function chargeOf(input: Input, purchase: Purchase): GatewayCharge {
  const charge = input.charges.find((c) => c.id === purchase.chargeId);
  if (!charge) throw new Error(`purchase ${purchase.purpose.ref} has no charge to plant on`);
  return charge;
}

function fulfilmentOf(purchase: Purchase): string {
  if (!purchase.fulfilmentEntryId) {
    throw new Error(`purchase ${purchase.purpose.ref} was not fulfilled`);
  }
  return purchase.fulfilmentEntryId;
}

/** Ledger entries that record a new captured charge, after everything else. */
function capturedCharge(history: History, charge: GatewayCharge, iccid: string): LedgerEntry[] {
  const at = history.now + 1;
  return [
    {
      type: 'charge_authorized',
      id: `le_${charge.id}_authorized`,
      at,
      iccid,
      chargeId: charge.id,
      amount: charge.amount,
      purpose: charge.purpose,
    },
    { type: 'charge_captured', id: `le_${charge.id}_captured`, at, iccid, chargeId: charge.id },
  ];
}

/** The gateway captures a fulfilled purchase a second time (a retry that was not deduplicated). */
export function plantSecondCapture(history: History, purchase: Purchase): Planted {
  const { input } = history;
  const original = chargeOf(input, purchase);
  const second: GatewayCharge = { ...original, id: 'ch_planted', createdAt: history.now + 1 };
  return planted(
    {
      ...input,
      charges: [...input.charges, second],
      ledger: [...input.ledger, ...capturedCharge(history, second, purchase.iccid)],
    },
    {
      chargeIds: [original.id, second.id],
      entryIds: [fulfilmentOf(purchase)],
      intentIds: intentIdsOf(purchase),
    },
  );
}

/**
 * The carrier sells a fulfilled top-up again, as a new top-up carrying the same client
 * reference or idempotency key: the client's retry bought twice.
 */
export function plantRepeatedTopup(
  history: History,
  purchase: Purchase,
  via: 'clientReference' | 'idempotencyKey',
): Planted {
  const { input } = history;
  const original = chargeOf(input, purchase);
  const tag = original[via];
  if (tag === undefined) throw new Error(`purchase ${purchase.purpose.ref} carries no ${via}`);
  const ref = 'tu_planted';
  const repeat: GatewayCharge = {
    id: 'ch_planted',
    amount: original.amount,
    status: 'captured',
    purpose: { kind: 'topup', ref },
    createdAt: history.now + 1,
    [via]: tag,
  };
  const credit: LedgerEntry = {
    type: 'data_credited',
    id: 'le_planted_credit',
    at: history.now + 1,
    iccid: purchase.iccid,
    bucketId: 'bk_planted',
    bucket: 'boost',
    bytes: 1,
    expiresAt: history.now + DAY_MS,
    source: { kind: 'topup', ref },
  };
  return planted(
    {
      ...input,
      charges: [...input.charges, repeat],
      ledger: [...input.ledger, ...capturedCharge(history, repeat, purchase.iccid), credit],
    },
    {
      chargeIds: [original.id, repeat.id],
      entryIds: [fulfilmentOf(purchase), credit.id],
      intentIds: intentIdsOf(purchase),
    },
  );
}

/** The carrier captures a purchase and then crashes before fulfilling it. */
export function plantDroppedFulfilment(history: History, purchase: Purchase): Planted {
  const { input } = history;
  const dropped = fulfilmentOf(purchase);
  return planted(
    { ...input, ledger: input.ledger.filter((e) => e.id !== dropped) },
    { chargeIds: [chargeOf(input, purchase).id], intentIds: intentIdsOf(purchase) },
  );
}

/** The carrier credits data for a purchase nobody paid for. */
export function plantUnpaidCredit(
  history: History,
  iccid: string,
  kind: Exclude<CreditSourceKind, 'promotion'>,
): Planted {
  const { input } = history;
  const credit: LedgerEntry = {
    type: 'data_credited',
    id: 'le_planted_credit',
    at: history.now + 1,
    iccid,
    bucketId: 'bk_planted',
    bucket: kind === 'topup' ? 'boost' : 'base',
    bytes: 1,
    expiresAt: history.now + DAY_MS,
    source: { kind, ref: `${kind}_planted` },
  };
  return planted({ ...input, ledger: [...input.ledger, credit] }, { entryIds: [credit.id] });
}

/** The gateway refunds a fulfilled purchase but the fulfilment stays. */
export function plantRefundKeepingFulfilment(history: History, purchase: Purchase): Planted {
  const { input } = history;
  const charge = chargeOf(input, purchase);
  return planted(
    {
      ...input,
      charges: input.charges.map((c) => (c.id === charge.id ? { ...c, status: 'refunded' } : c)),
      ledger: [
        ...input.ledger,
        {
          type: 'charge_refunded',
          id: 'le_planted_refund',
          at: history.now + 1,
          iccid: purchase.iccid,
          chargeId: charge.id,
        },
      ],
    },
    {
      chargeIds: [charge.id],
      entryIds: [fulfilmentOf(purchase)],
      intentIds: intentIdsOf(purchase),
    },
  );
}

/** The eSIM uses `extraBytes` more than it has live. */
export function plantOverdraft(history: History, iccid: string, extraBytes: number): Planted {
  const { input } = history;
  const at = history.now + 1;
  const { dataRemainingBytes } = deriveBalance(
    input.ledger.filter((e) => e.iccid === iccid),
    { at, consumptionOrder: input.consumptionOrder },
  );
  const usage: LedgerEntry = {
    type: 'data_consumed',
    id: 'le_planted_usage',
    at,
    iccid,
    bytes: dataRemainingBytes + extraBytes,
  };
  return planted({ ...input, ledger: [...input.ledger, usage] }, { entryIds: [usage.id] });
}

/** The idempotency store binds a used key to a second, different request. */
export function plantConflictingRequest(history: History, record: IdempotencyRecord): Planted {
  const { input } = history;
  const other: IdempotencyRecord = {
    ...record,
    requestFingerprint: `${record.requestFingerprint}+planted`,
  };
  return planted(
    { ...input, idempotencyRecords: [...input.idempotencyRecords, other] },
    { idempotencyKeys: [record.key] },
  );
}

/** The client logs an outcome other than what happened. */
export function plantIntentOutcome(
  history: History,
  purchase: Purchase,
  outcome: IntentOutcome,
): Planted {
  const { input } = history;
  const intentId = purchase.intentId;
  if (!intentId) throw new Error(`purchase ${purchase.purpose.ref} has no intent`);
  const charged = input.charges.filter(
    (c) => c.id === purchase.chargeId && (outcome.status !== 'failed' || c.status === 'captured'),
  );
  return planted(
    {
      ...input,
      intents: input.intents.map((i) => (i.intentId === intentId ? { ...i, outcome } : i)),
    },
    {
      chargeIds: charged.map((c) => c.id),
      entryIds: purchase.fulfilmentEntryId ? [purchase.fulfilmentEntryId] : [],
      intentIds: [intentId],
    },
  );
}
