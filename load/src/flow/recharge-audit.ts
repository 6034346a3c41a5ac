import { requestAnyReplica } from './internal/any-replica.ts';
import { isRecord, jsonBody } from './internal/json-body.ts';
import type { LoadAnswer, LoadRuntime } from './load-runtime.ts';
import type { RechargeMetrics } from './recharge-metrics.ts';
import type { RechargeRun } from './recharge-run.ts';

export interface AuditViolation {
  readonly kind: string;
  readonly message: string;
  /** The gateway charges that prove it. */
  readonly chargeIds: readonly string[];
}

export type RechargeAudit =
  | {
      readonly status: 'audited';
      readonly ok: boolean;
      /** Violations by kind (`duplicate_charge`, `lost_topup`, …), as the carrier counts them. */
      readonly counts: Readonly<Record<string, number>>;
      readonly violations: readonly AuditViolation[];
    }
  | { readonly status: 'unavailable'; readonly reason: string };

/**
 * How long one replica has to answer the audit. It reads the carrier's whole history: about
 * 0.1-0.2 ms per top-up held on a slow day here, so 5 minutes covers 1,500,000 top-ups or more.
 */
export const AUDIT_TIMEOUT_MS = 300_000;

/**
 * k6's `teardown()` and the driver's last step: asks the carrier for its audit
 * (`GET /_sim/audit`, from the first replica that answers) and counts what it found into `duplicate_charges`, `lost_topups` and
 * `audit_violations`, so the thresholds on them judge the whole run, retries and all.
 */
export async function auditRecharge(
  runtime: LoadRuntime,
  run: RechargeRun,
  metrics: RechargeMetrics,
): Promise<RechargeAudit> {
  const answer = await requestAnyReplica(runtime, run.baseUrls, (baseUrl) => ({
    method: 'GET',
    url: `${baseUrl}/_sim/audit`,
    headers: {
      accept: 'application/json',
      ...(run.adminToken === undefined ? {} : { 'x-sim-admin-token': run.adminToken }),
    },
    timeoutMs: AUDIT_TIMEOUT_MS,
    name: 'teardown GET /_sim/audit',
  }));
  const audit = readAudit(answer);
  if (audit.status === 'audited') {
    metrics.duplicateCharges.add(extraCharges(audit.violations));
    metrics.lostTopups.add(audit.violations.filter((v) => v.kind === 'lost_topup').length);
    metrics.auditViolations.add(audit.violations.length);
  } else {
    // Nothing proves the run charged nobody twice and lost nothing: that fails it too.
    metrics.auditViolations.add(1);
  }
  return audit;
}

/**
 * The charges a subscriber paid beyond the first, over every duplicate-charge violation: the
 * audit reports one violation per purchase, however many times it was captured.
 */
function extraCharges(violations: readonly AuditViolation[]): number {
  return violations
    .filter((v) => v.kind === 'duplicate_charge')
    .reduce((sum, v) => sum + Math.max(1, v.chargeIds.length - 1), 0);
}

/** The audit as lines for a log: the verdict, then each violation. */
export function describeAudit(audit: RechargeAudit, carrier: string): string {
  if (audit.status === 'unavailable') {
    return `the ${carrier} audit could not be read: ${audit.reason}`;
  }
  if (audit.ok) return `${carrier} audit: clean (no duplicate charge, no lost top-up)`;
  const lines = audit.violations.slice(0, 20).map((v) => `  ${v.kind}: ${v.message}`);
  const more = audit.violations.length - lines.length;
  return [
    `${carrier} audit: ${audit.violations.length} violation${audit.violations.length === 1 ? '' : 's'}`,
    ...lines,
    ...(more > 0 ? [`  … and ${more} more (GET /_sim/audit)`] : []),
  ].join('\n');
}

function readAudit(answer: LoadAnswer): RechargeAudit {
  if (answer.type === 'network-error') {
    return { status: 'unavailable', reason: `${answer.kind}: ${answer.message}` };
  }
  const body = jsonBody(answer.body);
  if (answer.status !== 200 || !isRecord(body) || typeof body.ok !== 'boolean') {
    return {
      status: 'unavailable',
      reason: `GET /_sim/audit answered ${answer.status}: ${answer.body.slice(0, 200)}`,
    };
  }
  const counts: Record<string, number> = {};
  if (isRecord(body.counts)) {
    for (const [kind, n] of Object.entries(body.counts))
      if (typeof n === 'number') counts[kind] = n;
  }
  const violations = Array.isArray(body.violations)
    ? body.violations.flatMap((v) =>
        isRecord(v) && typeof v.kind === 'string'
          ? [
              {
                kind: v.kind,
                message: typeof v.message === 'string' ? v.message : v.kind,
                chargeIds:
                  isRecord(v.evidence) && Array.isArray(v.evidence.chargeIds)
                    ? v.evidence.chargeIds.filter((id): id is string => typeof id === 'string')
                    : [],
              },
            ]
          : [],
      )
    : [];
  return { status: 'audited', ok: body.ok, counts, violations };
}
