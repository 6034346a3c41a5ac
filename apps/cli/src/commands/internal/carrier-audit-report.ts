import { CliFailure } from '../../cli-error.ts';
import { type CarrierTarget, carrierUnreachable } from '../../targets.ts';

/** One violation as `GET /_sim/audit` reports it; `evidence` and other fields pass through. */
export interface AuditViolation {
  readonly kind: string;
  readonly message: string;
  readonly [field: string]: unknown;
}

/** What one carrier's audit came to: its report, or why there is none. */
export type CarrierAuditOutcome =
  | {
      readonly status: 'audited';
      readonly target: CarrierTarget;
      readonly ok: boolean;
      readonly counts: Readonly<Record<string, number>>;
      readonly violations: readonly AuditViolation[];
    }
  | { readonly status: 'unavailable'; readonly target: CarrierTarget; readonly error: CliFailure };

/** `GET <url>/_sim/audit`, with the admin token when given. Never throws: failures are outcomes. */
export async function fetchCarrierAudit(
  target: CarrierTarget,
  options: { readonly adminToken: string | undefined; readonly timeoutMs?: number },
): Promise<CarrierAuditOutcome> {
  const unavailable = (error: CliFailure): CarrierAuditOutcome => ({
    status: 'unavailable',
    target,
    error,
  });
  let response: Response;
  try {
    response = await fetch(`${target.url}/_sim/audit`, {
      headers: options.adminToken === undefined ? {} : { 'x-sim-admin-token': options.adminToken },
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (error) {
    return unavailable(carrierUnreachable(target, error));
  }
  const body: unknown = await response.json().catch(() => undefined);
  const where = `${target.carrier} at ${target.url}`;
  if (response.status === 401 || response.status === 403) {
    return unavailable(
      new CliFailure(
        'admin_token_rejected',
        `${where} refused /_sim/audit (${response.status}: ${detailOf(body)}); pass its token with --admin-token or ESIMLAB_ADMIN_TOKEN`,
      ),
    );
  }
  const report = response.ok ? auditReportOf(body) : undefined;
  if (!report) {
    return unavailable(
      new CliFailure(
        'unexpected_response',
        `${where} answered GET /_sim/audit with ${response.status}${response.ok ? ' but no audit report' : `: ${detailOf(body)}`}; is ${target.url} an esimlab carrier?`,
      ),
    );
  }
  return { status: 'audited', target, ...report };
}

function auditReportOf(
  body: unknown,
):
  | { ok: boolean; counts: Record<string, number>; violations: readonly AuditViolation[] }
  | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { ok, counts, violations } = body as Record<string, unknown>;
  if (typeof ok !== 'boolean' || !Array.isArray(violations)) return undefined;
  const wellFormed = violations.every(
    (v): v is AuditViolation =>
      typeof v === 'object' &&
      v !== null &&
      typeof (v as AuditViolation).kind === 'string' &&
      typeof (v as AuditViolation).message === 'string',
  );
  if (!wellFormed) return undefined;
  return {
    ok,
    counts: typeof counts === 'object' && counts !== null ? (counts as Record<string, number>) : {},
    violations,
  };
}

function detailOf(body: unknown): string {
  const problem = body as { detail?: unknown; code?: unknown } | undefined;
  if (typeof problem?.detail === 'string') return problem.detail;
  return typeof problem?.code === 'string' ? problem.code : 'no details';
}
