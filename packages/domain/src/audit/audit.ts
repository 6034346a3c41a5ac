import type { BucketKind } from '../catalog/data-rules.ts';
import type { LedgerEntry } from '../ledger/ledger-entry.ts';
import type { GatewayCharge } from './gateway-charge.ts';
import type { IdempotencyRecord } from './idempotency-record.ts';
import type { TopupIntent } from './intent.ts';
import {
  duplicateCharges,
  duplicatesByClientReference,
  duplicatesByPurpose,
} from './internal/duplicate-charges.ts';
import { compareText, compareViolations, evidenceOf } from './internal/evidence.ts';
import {
  capturesWithoutFulfilment,
  fulfilmentsWithoutCharge,
} from './internal/fulfilment-checks.ts';
import { indexHistory } from './internal/history-index.ts';
import { idempotencyConflicts } from './internal/idempotency-conflicts.ts';
import {
  duplicatesByIntent,
  intentViolations,
  resolveUnknownIntents,
} from './internal/intent-checks.ts';
import { type IntentLink, linkedIds, linkIntents } from './internal/intent-links.ts';
import { negativeBalances } from './internal/negative-balance.ts';
import {
  type Violation,
  type ViolationEvidence,
  type ViolationKind,
  violationKinds,
} from './violation.ts';

export interface AuditInput {
  /**
   * The carrier's ledger, every eSIM; entries with the same `at` in append order. Its
   * `charge_authorized` entries tie each charge to an eSIM, which scopes client references.
   */
  readonly ledger: readonly LedgerEntry[];
  /** The payment gateway's charges, the record of what money was taken. */
  readonly charges: readonly GatewayCharge[];
  /** The carrier's consumption order, needed to replay usage and find overdrafts. */
  readonly consumptionOrder: readonly BucketKind[];
  /** A client's intent log, when a harness or client kept one. */
  readonly intents?: readonly TopupIntent[];
  readonly idempotencyRecords?: readonly IdempotencyRecord[];
  /**
   * Set when `ledger` and `charges` are the history of one eSIM the carrier does not have
   * (rows found by the eSIM they name): every one of them is then `unknown_esim`, besides
   * whatever else they show.
   */
  readonly unknownEsim?: string;
}

/** A whole history of known eSIMs, every list given (what the test histories build). */
export type CompleteAuditInput = Required<Omit<AuditInput, 'unknownEsim'>>;

/** How an `unknown` intent turned out; anything but the first two is also a violation. */
export interface UnknownIntentResolution {
  readonly intentId: string;
  readonly resolution:
    | 'charged_and_credited'
    | 'not_charged'
    | 'charged_more_than_once'
    | 'charged_not_credited'
    | 'credited_without_charge'
    | 'credited_more_than_once';
  /** Every linked top-up charge, whatever its status. */
  readonly chargeIds: readonly string[];
  /** Its top-up credits. */
  readonly entryIds: readonly string[];
}

export interface AuditReport {
  readonly ok: boolean;
  readonly counts: Readonly<Record<ViolationKind, number>>;
  /** Sorted by kind, then by evidence: the same history always gives the same report. */
  readonly violations: readonly Violation[];
  /** Sorted by intent id. */
  readonly unknownIntents: readonly UnknownIntentResolution[];
}

/**
 * Checks a history against the correctness model: every capture pays for exactly one
 * fulfilment or is refunded, no fulfilment without a capture, no negative balance, no key
 * bound to two requests, and every intent's outcome agrees with the money and the data.
 * Each fault is reported once: an intent's own violation is left out when a money-side
 * violation already covers its charges or credits, which then name the intent as evidence.
 */
export function audit(input: AuditInput): AuditReport {
  const index = indexHistory(input.ledger, input.charges);
  const links = linkIntents(input.intents ?? [], input.ledger, index);

  const duplicateGroups = [
    ...duplicatesByPurpose(index),
    ...duplicatesByClientReference(index),
    ...duplicatesByIntent(links),
  ];
  const moneySide = withIntents(
    [
      ...duplicateCharges(duplicateGroups, index),
      ...capturesWithoutFulfilment(index),
      ...fulfilmentsWithoutCharge(index),
    ],
    links,
  );
  const covered = recordsNamedBy(moneySide);
  const intentSide = intentViolations(links).filter(
    (v) => !recordsOf(v.evidence).some((r) => covered.has(r)),
  );

  const violations = [
    ...moneySide,
    ...negativeBalances(input.ledger, input.consumptionOrder),
    ...idempotencyConflicts(input.idempotencyRecords ?? []),
    ...intentSide,
    ...(input.unknownEsim === undefined ? [] : [unknownEsim(input.unknownEsim, input)]),
  ];
  return reportOf(violations, resolveUnknownIntents(links));
}

/** The rows of a history that names an eSIM the carrier does not have, as one finding. */
function unknownEsim(iccid: string, input: AuditInput): Violation {
  const counted = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const rows = [
    ...(input.ledger.length > 0
      ? [counted(input.ledger.length, 'ledger entry', 'ledger entries')]
      : []),
    ...(input.charges.length > 0 ? [counted(input.charges.length, 'charge', 'charges')] : []),
  ];
  return {
    kind: 'unknown_esim',
    message: `${rows.join(' and ')} ${input.ledger.length + input.charges.length === 1 ? 'names' : 'name'} eSIM ${iccid}, which the carrier does not have`,
    iccid,
    evidence: evidenceOf({
      chargeIds: input.charges.map((c) => c.id),
      entryIds: input.ledger.map((e) => e.id),
    }),
  };
}

/** The report of these findings, in the report's order, with the counts by kind. */
function reportOf(
  violations: readonly Violation[],
  unknownIntents: readonly UnknownIntentResolution[],
): AuditReport {
  const sorted = [...violations].sort(compareViolations);
  const counts = Object.fromEntries(violationKinds.map((k) => [k, 0])) as Record<
    ViolationKind,
    number
  >;
  for (const v of sorted) counts[v.kind] += 1;
  return {
    ok: sorted.length === 0,
    counts,
    violations: sorted,
    unknownIntents: [...unknownIntents].sort((a, b) => compareText(a.intentId, b.intentId)),
  };
}

/** Charge and entry ids as one set of keys (the two id spaces may overlap). */
const recordsOf = (evidence: ViolationEvidence): string[] => [
  ...evidence.chargeIds.map((id) => `charge:${id}`),
  ...evidence.entryIds.map((id) => `entry:${id}`),
];

const recordsNamedBy = (violations: readonly Violation[]): Set<string> =>
  new Set(violations.flatMap((v) => recordsOf(v.evidence)));

/** Adds to each violation the intents whose charges or credits it names. */
function withIntents(violations: readonly Violation[], links: readonly IntentLink[]): Violation[] {
  const intentsByRecord = new Map<string, string[]>();
  for (const link of links) {
    for (const record of recordsOf(evidenceOf(linkedIds(link)))) {
      intentsByRecord.set(record, [...(intentsByRecord.get(record) ?? []), link.intent.intentId]);
    }
  }
  return violations.map((v) => {
    const intentIds = recordsOf(v.evidence).flatMap((r) => intentsByRecord.get(r) ?? []);
    if (intentIds.length === 0) return v;
    return {
      ...v,
      evidence: evidenceOf({ ...v.evidence, intentIds: [...v.evidence.intentIds, ...intentIds] }),
    };
  });
}

/**
 * The audit of a whole history from the audits of its parts, when every check stays inside
 * one part: audited eSIM by eSIM (each with its ledger, its charges, the intents naming it)
 * and the idempotency records apart, a carrier never holds more than one eSIM's history.
 */
export function mergeAuditReports(parts: readonly AuditReport[]): AuditReport {
  return reportOf(
    parts.flatMap((p) => p.violations),
    parts.flatMap((p) => p.unknownIntents),
  );
}
