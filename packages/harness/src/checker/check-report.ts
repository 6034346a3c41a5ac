import {
  type CarrierId,
  type IdempotencyScope,
  type IntentStatus,
  type UnknownIntentResolution,
  type ViolationEvidence,
  type ViolationKind,
  violationKinds,
} from '@esimlab/domain';

/**
 * What the checker can find wrong, in report order: every kind of the carrier's audit, then
 * - `balance_mismatch`: the balance the carrier shows a subscriber is not the one its ledger
 *   gives under the domain model;
 * - `event_not_delivered`: a webhook event a receiver never got, the carrier having given up
 *   retrying (or being overdue with a retry);
 * - `event_applied_twice`: a receiver applied one event id more than once.
 */
export const checkViolationKinds = [
  ...violationKinds,
  'balance_mismatch',
  'event_not_delivered',
  'event_applied_twice',
] as const;
export type CheckViolationKind = (typeof checkViolationKinds)[number];

/** Data as a subscriber sees it (`GET /v1/esims/{iccid}/usage`). */
export interface UsageView {
  readonly dataRemainingBytes: number;
  readonly dataUsedBytes: number;
  readonly throttled: boolean;
}

export interface BalanceMismatchEvidence {
  /** What the carrier answered. */
  readonly carrierView: UsageView;
  /** What its ledger gives through `deriveBalance`, at `at`. */
  readonly derived: UsageView;
  /** The carrier's simulated time the derived balance was taken at (ISO 8601). */
  readonly at: string;
  readonly ledgerEntryCount: number;
}

export interface WebhookEventEvidence {
  /** The receiver's name, as given to the checker. */
  readonly receiver: string;
  readonly endpointId: string;
  readonly eventId: string;
  readonly eventType: string;
  /** The carrier's deliveries of the event to the endpoint. */
  readonly deliveryIds: readonly string[];
  /** Their statuses, in the same order. */
  readonly deliveryStatuses: readonly ('pending' | 'delivered' | 'failed')[];
  readonly attemptCount: number;
  /** How many times the receiver applied the event. */
  readonly appliedCount: number;
}

interface ViolationCommon {
  readonly carrier: CarrierId;
  /** For a human reading a report: what is wrong, with the ids. */
  readonly message: string;
  /** The intents the violation concerns (those the audit linked to its charges and credits). */
  readonly intentIds: readonly string[];
  readonly iccid?: string;
}

/** A violation the carrier's audit found, joined with the intents. */
export interface AuditViolation extends ViolationCommon {
  readonly kind: ViolationKind;
  readonly scope?: IdempotencyScope;
  readonly evidence: ViolationEvidence;
}

export interface BalanceMismatch extends ViolationCommon {
  readonly kind: 'balance_mismatch';
  readonly iccid: string;
  readonly evidence: BalanceMismatchEvidence;
}

export interface WebhookEventViolation extends ViolationCommon {
  readonly kind: 'event_not_delivered' | 'event_applied_twice';
  readonly evidence: WebhookEventEvidence;
}

export type CheckViolation = AuditViolation | BalanceMismatch | WebhookEventViolation;

/** What happened to one intent: its outcome, how an `unknown` one turned out, what it is part of. */
export interface CheckedIntent {
  readonly intentId: string;
  readonly carrier: CarrierId;
  readonly outcome: IntentStatus;
  /** For `unknown` intents: what the ledger and the gateway say happened. */
  readonly resolution?: UnknownIntentResolution['resolution'];
  /** The kinds of the violations that name this intent, in report order. */
  readonly violations: readonly CheckViolationKind[];
}

/** Something the checker could not check, and why: shown, never silently passed over. */
export interface SkippedCheck {
  readonly carrier: CarrierId;
  readonly check: 'balance' | 'webhook_deliveries';
  /** The eSIM, or the receiver and event. */
  readonly subject: string;
  readonly reason: string;
}

export interface CheckReport {
  /** No violation (skipped checks do not count: they are listed in `skipped`). */
  readonly ok: boolean;
  /** By carrier (in the order given), then kind (in `checkViolationKinds` order), then message. */
  readonly violations: readonly CheckViolation[];
  readonly counts: Readonly<Record<CheckViolationKind, number>>;
  /** Every intent given, in the order given. */
  readonly intents: readonly CheckedIntent[];
  readonly skipped: readonly SkippedCheck[];
}
