import type { TopupIntent, ViolationKind } from '@esimlab/domain';
import { type AuditAnswer, type AuditAnswerViolation, auditAnswer } from './carrier-answers.ts';
import type { CarrierHttp } from './carrier-http.ts';

/** Under the carrier's 64 KiB body limit, with room for the `{"intents":[]}` around the list. */
export const MAX_AUDIT_BODY_BYTES = 60 * 1024;

export interface CarrierAudit {
  readonly violations: readonly AuditAnswerViolation[];
  readonly unknownIntents: AuditAnswer['unknownIntents'];
}

/**
 * `POST /_sim/audit` with a carrier's intents, in as many requests as the body limit needs.
 * The intents of one eSIM go in one request wherever they fit: the audit links an intent only
 * to charges on its own eSIM, so each batch then judges its intents exactly as one big audit
 * would, and `mergeAudits` only has to join the carrier-wide violations every batch repeats.
 */
export async function auditWithIntents(
  http: CarrierHttp,
  intents: readonly TopupIntent[],
): Promise<CarrierAudit> {
  const answers: AuditAnswer[] = [];
  for (const batch of intentBatches(intents, MAX_AUDIT_BODY_BYTES)) {
    answers.push(await http.control('POST', '/_sim/audit', auditAnswer, { intents: batch }));
  }
  return mergeAudits(answers);
}

/**
 * Splits intents into lists whose JSON stays within `maxBytes`, keeping each eSIM's intents
 * together unless they alone exceed it. Always at least one (possibly empty) batch.
 */
export function intentBatches(intents: readonly TopupIntent[], maxBytes: number): TopupIntent[][] {
  const byEsim = new Map<string, TopupIntent[]>();
  for (const intent of intents) {
    byEsim.set(intent.iccid, [...(byEsim.get(intent.iccid) ?? []), intent]);
  }
  const batches: TopupIntent[][] = [];
  let current: TopupIntent[] = [];
  let currentBytes = 0;
  const sizeOf = (intent: TopupIntent): number =>
    Buffer.byteLength(JSON.stringify(intent), 'utf8') + 1;
  const flush = (): void => {
    if (current.length > 0) batches.push(current);
    current = [];
    currentBytes = 0;
  };
  for (const group of byEsim.values()) {
    const groupBytes = group.reduce((sum, intent) => sum + sizeOf(intent), 0);
    if (currentBytes + groupBytes > maxBytes) flush();
    for (const intent of group) {
      // Only an eSIM with more intents than one request holds is split.
      if (currentBytes + sizeOf(intent) > maxBytes) flush();
      current.push(intent);
      currentBytes += sizeOf(intent);
    }
  }
  flush();
  return batches.length > 0 ? batches : [[]];
}

// An intent's own violations appear only in its batch; the others are carrier-wide.
const intentSideKinds: ReadonlySet<ViolationKind> = new Set([
  'ok_intent_not_credited',
  'failed_intent_charged',
]);

/**
 * Joins the answers of several batches into the report one audit would give: carrier-wide
 * violations, repeated by every batch, are reported once with the intents each batch linked;
 * duplicate charges that batches saw in part (one batch also knowing the intent that ties
 * them together) are merged when they share a charge.
 */
export function mergeAudits(answers: readonly AuditAnswer[]): CarrierAudit {
  const [only] = answers;
  if (answers.length === 1 && only) return only;
  const all = answers.flatMap((a) => a.violations);
  const violations = [
    ...mergeDuplicateCharges(all.filter((v) => v.kind === 'duplicate_charge')),
    ...mergeByEvidence(all.filter((v) => v.kind !== 'duplicate_charge')),
  ];
  const unknownIntents = answers
    .flatMap((a) => a.unknownIntents)
    .sort((a, b) => (a.intentId < b.intentId ? -1 : a.intentId > b.intentId ? 1 : 0));
  return { violations, unknownIntents };
}

function mergeByEvidence(violations: readonly AuditAnswerViolation[]): AuditAnswerViolation[] {
  const byKey = new Map<string, AuditAnswerViolation[]>();
  for (const v of violations) {
    const key = JSON.stringify([
      v.kind,
      v.iccid ?? '',
      v.scope ?? null,
      v.evidence.chargeIds,
      v.evidence.entryIds,
      v.evidence.idempotencyKeys,
      intentSideKinds.has(v.kind) ? v.evidence.intentIds : [],
    ]);
    byKey.set(key, [...(byKey.get(key) ?? []), v]);
  }
  return [...byKey.values()].map(joined);
}

function mergeDuplicateCharges(
  violations: readonly AuditAnswerViolation[],
): AuditAnswerViolation[] {
  // Union-find over violations: two are one purchase when they name a common charge.
  const parent = violations.map((_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] ?? root;
    parent[i] = root;
    return root;
  };
  const firstWithCharge = new Map<string, number>();
  violations.forEach((v, i) => {
    for (const chargeId of v.evidence.chargeIds) {
      const other = firstWithCharge.get(chargeId);
      if (other === undefined) firstWithCharge.set(chargeId, i);
      else parent[find(i)] = find(other);
    }
  });
  const groups = new Map<number, AuditAnswerViolation[]>();
  violations.forEach((v, i) => {
    groups.set(find(i), [...(groups.get(find(i)) ?? []), v]);
  });
  return [...groups.values()].map(joined);
}

/** One violation from several reports of it: the fullest message, every id named by any. */
function joined(reports: readonly AuditAnswerViolation[]): AuditAnswerViolation {
  const fullest = [...reports].sort(
    (a, b) => b.evidence.chargeIds.length - a.evidence.chargeIds.length,
  )[0] as AuditAnswerViolation;
  const union = (pick: (v: AuditAnswerViolation) => readonly string[]): string[] =>
    [...new Set(reports.flatMap(pick))].sort();
  return {
    ...fullest,
    evidence: {
      chargeIds: union((v) => v.evidence.chargeIds),
      entryIds: union((v) => v.evidence.entryIds),
      intentIds: union((v) => v.evidence.intentIds),
      idempotencyKeys: union((v) => v.evidence.idempotencyKeys),
    },
  };
}
