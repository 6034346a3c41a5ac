import type { BucketKind } from '../catalog/data-rules.ts';
import type { Money } from '../money/money.ts';
import type { EpochMillis } from '../time/instant.ts';

/** What a charge pays for; the fulfilment that settles it carries the same kind and `ref`. */
export const chargePurposeKinds = ['order', 'topup', 'renewal', 'fee'] as const;
export type ChargePurposeKind = (typeof chargePurposeKinds)[number];

export interface ChargePurpose {
  readonly kind: ChargePurposeKind;
  /** The order, top-up, renewal or cancellation id the charge pays for. */
  readonly ref: string;
}

/** Why data was credited: a plan grant (order, renewal), a top-up, or a free promotion. */
export const creditSourceKinds = ['order', 'topup', 'renewal', 'promotion'] as const;
export type CreditSourceKind = (typeof creditSourceKinds)[number];

export interface CreditSource {
  readonly kind: CreditSourceKind;
  readonly ref: string;
}

interface EntryCommon {
  /** Unique across the whole ledger. */
  readonly id: string;
  readonly at: EpochMillis;
  readonly iccid: string;
}

/** The gateway put a hold on the subscriber's payment method. */
export interface ChargeAuthorizedEntry extends EntryCommon {
  readonly type: 'charge_authorized';
  readonly chargeId: string;
  readonly amount: Money;
  readonly purpose: ChargePurpose;
}

/** The held money was taken. */
export interface ChargeCapturedEntry extends EntryCommon {
  readonly type: 'charge_captured';
  readonly chargeId: string;
}

/** The hold was released without taking money. */
export interface ChargeVoidedEntry extends EntryCommon {
  readonly type: 'charge_voided';
  readonly chargeId: string;
}

/** Captured money was given back. */
export interface ChargeRefundedEntry extends EntryCommon {
  readonly type: 'charge_refunded';
  readonly chargeId: string;
}

/** Data landed in a new bucket: the fulfilment of an order, renewal or top-up, or a promotion. */
export interface DataCreditedEntry extends EntryCommon {
  readonly type: 'data_credited';
  readonly bucketId: string;
  readonly bucket: BucketKind;
  readonly bytes: number;
  /** The bucket is usable while `at < expiresAt`. */
  readonly expiresAt: EpochMillis;
  readonly source: CreditSource;
}

/** The subscriber used data; it drains live buckets in the carrier's consumption order. */
export interface DataConsumedEntry extends EntryCommon {
  readonly type: 'data_consumed';
  readonly bytes: number;
}

/**
 * A bucket was closed. Expiry is also derived from `expiresAt`, so this marker is optional;
 * written before `expiresAt` it closes the bucket early (for example on cancellation).
 */
export interface DataExpiredEntry extends EntryCommon {
  readonly type: 'data_expired';
  readonly bucketId: string;
}

/** A cancellation fee was assessed: the fulfilment that a `fee` charge pays for. */
export interface FeeAssessedEntry extends EntryCommon {
  readonly type: 'fee_assessed';
  readonly chargeId: string;
  readonly amount: Money;
  readonly ref: string;
}

/**
 * One append-only ledger record. The ledger is ordered by `at`, then by append order
 * (its sequence) among entries with the same `at`; see `inLedgerOrder`.
 */
export type LedgerEntry =
  | ChargeAuthorizedEntry
  | ChargeCapturedEntry
  | ChargeVoidedEntry
  | ChargeRefundedEntry
  | DataCreditedEntry
  | DataConsumedEntry
  | DataExpiredEntry
  | FeeAssessedEntry;

export type LedgerEntryType = LedgerEntry['type'];

/** The entries that settle a capture: data for an order, renewal or top-up, or a fee. */
export type FulfilmentEntry = DataCreditedEntry | FeeAssessedEntry;
