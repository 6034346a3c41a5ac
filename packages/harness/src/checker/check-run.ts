import type { CarrierId, UnknownIntentResolution } from '@esimlab/domain';
import { IntentLog, toTopupIntents } from '../intents/intent-log.ts';
import type { IntentRecord } from '../intents/intent-record.ts';
import {
  type AuditViolation,
  type CheckedIntent,
  type CheckReport,
  type CheckViolation,
  type CheckViolationKind,
  checkViolationKinds,
  type SkippedCheck,
} from './check-report.ts';
import { CheckerError } from './checker-error.ts';
import { auditWithIntents } from './internal/audit-batches.ts';
import { checkBalances } from './internal/balance-check.ts';
import { type AuditAnswerViolation, ledgerAnswer } from './internal/carrier-answers.ts';
import { CarrierHttp } from './internal/carrier-http.ts';
import { checkReceiver } from './internal/webhook-check.ts';

/** The key of tenant `dev`, which every carrier has. */
export const DEV_API_KEY = 'sk_test_esimlab';
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export interface CheckedCarrier {
  readonly carrier: CarrierId;
  readonly baseUrl: string;
  /** The carrier's `ESIMLAB_ADMIN_TOKEN`, when it has one. */
  readonly adminToken?: string;
  /**
   * Keys to read eSIM usage and webhook deliveries with, tried in turn: one tenant cannot
   * see another's. Default: the dev key. An eSIM no key sees is listed in `skipped`.
   */
  readonly apiKeys?: readonly string[];
}

/** What one webhook receiver applied, from its own log. */
export interface ReceiverLog {
  readonly name: string;
  readonly carrier: CarrierId;
  readonly endpointId: string;
  /** Every event the receiver applied, in order, repeats included. */
  readonly applied: readonly { readonly id: string; readonly type: string }[];
  /** The key of the tenant owning the endpoint; default the carrier's `apiKeys`. */
  readonly apiKey?: string;
}

export interface CheckInput {
  readonly carriers: readonly CheckedCarrier[];
  readonly intents: IntentLog | readonly IntentRecord[];
  readonly receivers?: readonly ReceiverLog[];
  /** The eSIMs whose balances to check against the domain model; default every eSIM in the ledger. */
  readonly iccids?: Partial<Record<CarrierId, readonly string[]>>;
  /** How long one request to a carrier may take; default 10 s. */
  readonly requestTimeoutMs?: number;
}

/**
 * Judges a run, per carrier:
 * - the carrier's audit joined with its intents (`POST /_sim/audit`, in batches under the
 *   64 KiB body limit): every domain violation kind, and how each `unknown` intent turned out;
 * - balances: for each eSIM in scope, the usage the subscriber sees (`GET
 *   /v1/esims/{iccid}/usage`, with the first of `apiKeys` whose tenant owns it) against
 *   `deriveBalance` over `GET /_sim/ledger?iccid=` at the carrier's clock (`balance_mismatch`);
 *   an eSIM no key can see is listed in `skipped`;
 * - webhooks: each receiver's applied events against the carrier's deliveries to its endpoint
 *   (`event_not_delivered` once the carrier gave up or is overdue, `event_applied_twice`).
 * Call it once the run is quiet: a top-up still completing shows up as a violation or a
 * skipped check. Throws `CheckerError` when a carrier cannot be asked, never a partial report.
 */
export async function checkRun(input: CheckInput): Promise<CheckReport> {
  const intents = input.intents instanceof IntentLog ? input.intents.all() : input.intents;
  requireConsistentInput(input, intents);
  const timeoutMs = input.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;

  const checked = await Promise.all(
    input.carriers.map((target) =>
      checkCarrier(target, {
        intents: intents.filter((i) => i.carrier === target.carrier),
        receivers: (input.receivers ?? []).filter((r) => r.carrier === target.carrier),
        iccids: input.iccids?.[target.carrier],
        timeoutMs,
      }),
    ),
  );

  const violations = checked.flatMap((c) => c.violations);
  const counts = Object.fromEntries(checkViolationKinds.map((k) => [k, 0])) as Record<
    CheckViolationKind,
    number
  >;
  for (const v of violations) counts[v.kind] += 1;

  const resolutions = new Map(
    checked.flatMap((c) => c.unknownIntents.map((u) => [`${c.carrier} ${u.intentId}`, u] as const)),
  );
  const checkedIntents = intents.map((intent): CheckedIntent => {
    const resolution = resolutions.get(`${intent.carrier} ${intent.intentId}`)?.resolution;
    const kinds = violations
      .filter((v) => v.carrier === intent.carrier && v.intentIds.includes(intent.intentId))
      .map((v) => v.kind);
    return {
      intentId: intent.intentId,
      carrier: intent.carrier,
      outcome: intent.outcome,
      ...(resolution === undefined ? {} : { resolution }),
      violations: [...new Set(kinds)],
    };
  });

  return {
    ok: violations.length === 0,
    violations,
    counts,
    intents: checkedIntents,
    skipped: checked.flatMap((c) => c.skipped),
  };
}

interface CarrierCheck {
  readonly carrier: CarrierId;
  readonly violations: CheckViolation[];
  readonly skipped: SkippedCheck[];
  readonly unknownIntents: readonly UnknownIntentResolution[];
}

async function checkCarrier(
  target: CheckedCarrier,
  scope: {
    readonly intents: readonly IntentRecord[];
    readonly receivers: readonly ReceiverLog[];
    readonly iccids: readonly string[] | undefined;
    readonly timeoutMs: number;
  },
): Promise<CarrierCheck> {
  const http = new CarrierHttp(target, scope.timeoutMs);
  const apiKeys = target.apiKeys ?? [DEV_API_KEY];

  const audit = await auditWithIntents(http, toTopupIntents(scope.intents));
  const iccids = scope.iccids ?? esimsIn(await http.control('GET', '/_sim/ledger', ledgerAnswer));
  const balances = await checkBalances(http, iccids, apiKeys);
  const violations: CheckViolation[] = [
    ...audit.violations.map((v) => fromAudit(target.carrier, v)),
    ...balances.mismatches,
  ];
  const skipped = [...balances.skipped];
  for (const receiver of scope.receivers) {
    const outcome = await checkReceiver(
      http,
      receiver,
      receiver.apiKey === undefined ? apiKeys : [receiver.apiKey],
    );
    violations.push(...outcome.violations);
    skipped.push(...outcome.skipped);
  }
  violations.sort(
    (a, b) =>
      checkViolationKinds.indexOf(a.kind) - checkViolationKinds.indexOf(b.kind) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
  return { carrier: target.carrier, violations, skipped, unknownIntents: audit.unknownIntents };
}

function fromAudit(carrier: CarrierId, v: AuditAnswerViolation): AuditViolation {
  return {
    kind: v.kind,
    carrier,
    message: v.message,
    intentIds: v.evidence.intentIds,
    ...(v.iccid === undefined ? {} : { iccid: v.iccid }),
    ...(v.scope === undefined ? {} : { scope: v.scope }),
    evidence: v.evidence,
  };
}

/** Every eSIM with a ledger entry, in the order they first appear. */
const esimsIn = (entries: readonly { readonly iccid: string }[]): string[] => [
  ...new Set(entries.map((e) => e.iccid)),
];

function requireConsistentInput(input: CheckInput, intents: readonly IntentRecord[]): void {
  const listed = new Set<CarrierId>();
  for (const { carrier } of input.carriers) {
    if (listed.has(carrier)) {
      throw new CheckerError(
        'checker_input_invalid',
        `carrier ${carrier} is listed twice in carriers; list each carrier once`,
      );
    }
    listed.add(carrier);
  }
  const unlisted = (carrier: CarrierId, what: string): CheckerError =>
    new CheckerError(
      'checker_input_invalid',
      `${what} is on carrier ${carrier}, which is not in carriers; add its base URL so it can be checked`,
    );
  for (const intent of intents) {
    if (!listed.has(intent.carrier)) throw unlisted(intent.carrier, `intent ${intent.intentId}`);
  }
  for (const receiver of input.receivers ?? []) {
    if (!listed.has(receiver.carrier))
      throw unlisted(receiver.carrier, `receiver ${receiver.name}`);
  }
  for (const carrier of Object.keys(input.iccids ?? {}) as CarrierId[]) {
    if (!listed.has(carrier)) throw unlisted(carrier, 'an eSIM listed in iccids');
  }
}
