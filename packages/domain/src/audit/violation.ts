import type { IdempotencyScope } from './idempotency-record.ts';

/**
 * What the audit can find wrong, in report order:
 * - `duplicate_charge`: one purchase captured more than once (the same fulfilment ref, one
 *   `clientReference` on two captured top-ups, or one intent's key behind two captures);
 * - `lost_topup`: a top-up captured, never credited, never refunded;
 * - `unfulfilled_capture`: the same for an order, renewal or fee;
 * - `credit_without_charge`: a fulfilment with no captured, unrefunded charge paying for it;
 * - `negative_balance`: an eSIM used more data than it had live;
 * - `idempotency_conflict`: one key bound to two different requests in one scope;
 * - `ok_intent_not_credited`: a client saw `ok` but its top-up was not credited exactly once;
 * - `failed_intent_charged`: a client saw `failed` but was charged;
 * - `unknown_esim`: ledger entries or charges that name an eSIM the carrier does not have.
 */
export const violationKinds = [
  'duplicate_charge',
  'lost_topup',
  'unfulfilled_capture',
  'credit_without_charge',
  'negative_balance',
  'idempotency_conflict',
  'ok_intent_not_credited',
  'failed_intent_charged',
  'unknown_esim',
] as const;
export type ViolationKind = (typeof violationKinds)[number];

/** The records that prove a violation, each list sorted and without repeats. */
export interface ViolationEvidence {
  /** Gateway charge ids. */
  readonly chargeIds: readonly string[];
  /** Ledger entry ids (fulfilments and consumption). */
  readonly entryIds: readonly string[];
  /** Client intent ids. */
  readonly intentIds: readonly string[];
  readonly idempotencyKeys: readonly string[];
}

export interface Violation {
  readonly kind: ViolationKind;
  /** For a human reading a report: what is wrong, with the ids. */
  readonly message: string;
  /** The eSIM concerned, when the violation is about one eSIM's data. */
  readonly iccid?: string;
  /** The idempotency scope concerned, for `idempotency_conflict`. */
  readonly scope?: IdempotencyScope;
  readonly evidence: ViolationEvidence;
}
