import type { CliCommand } from '../cli-command.ts';
import { parseCommandFlags } from '../internal/command-flags.ts';
import { type CliIo, envOf } from '../io.ts';
import { defaultTargets, resolveTargets } from '../targets.ts';
import { type CarrierAuditOutcome, fetchCarrierAudit } from './internal/carrier-audit-report.ts';

const usage = `esimlab audit [--target att=URL,…|URL,…] [--json] [--admin-token T]

Asks each carrier for its audit (GET /_sim/audit: duplicate charges, lost top-ups, unfulfilled
captures, credits without a charge, negative balances, idempotency conflicts, rows naming an
eSIM the carrier does not have) and prints it.
Exit code 0 when every carrier is clean, 1 when one has a violation or cannot be reached.

  --target <list>        the carriers to audit: att=http://127.0.0.1:4101,tmobile=… or bare
                         URLs (each is asked GET /healthz which carrier it is); repeatable.
                         Default: the carriers esimlab up starts, at ESIMLAB_HOST and
                         ESIMLAB_<CARRIER>_PORT (127.0.0.1:4101-4103), limited to ESIMLAB_CARRIERS
  --json                 print {ok, carriers: [...]} with every violation's evidence
  --admin-token <token>  sent as X-Sim-Admin-Token; default ESIMLAB_ADMIN_TOKEN
  --help                 this text`;

/** `esimlab audit`: every carrier's money invariants, checked by the carrier itself. */
export const auditCommand: CliCommand = {
  name: 'audit',
  summary: "check each running carrier's ledger: duplicate charges, lost top-ups, …",
  usage,
  async run(args, io) {
    const values = parseCommandFlags(args, {
      target: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      'admin-token': { type: 'string' },
    });
    const env = envOf(io);
    const targets =
      values.target !== undefined ? await resolveTargets(values.target) : defaultTargets(env);
    const adminToken = values['admin-token'] ?? (env.ESIMLAB_ADMIN_TOKEN || undefined);
    const outcomes = await Promise.all(
      targets.map((target) => fetchCarrierAudit(target, { adminToken })),
    );
    if (values.json) io.out(JSON.stringify(auditJson(outcomes), null, 2));
    else printAudit(outcomes, io);
    for (const outcome of outcomes) {
      if (outcome.status === 'unavailable') io.err(`esimlab audit: ${outcome.error.message}`);
    }
    return outcomes.every((o) => o.status === 'audited' && o.ok) ? 0 : 1;
  },
};

function printAudit(outcomes: readonly CarrierAuditOutcome[], io: CliIo): void {
  const carrierWidth = Math.max(...outcomes.map((o) => o.target.carrier.length));
  const urlWidth = Math.max(...outcomes.map((o) => o.target.url.length));
  for (const outcome of outcomes) {
    const row = `${outcome.target.carrier.padEnd(carrierWidth)}  ${outcome.target.url.padEnd(urlWidth)}`;
    if (outcome.status === 'unavailable') {
      io.out(`${row}  not audited (${outcome.error.code})`);
      continue;
    }
    const count = outcome.violations.length;
    io.out(`${row}  ${outcome.ok ? 'ok' : `${count} violation${count === 1 ? '' : 's'}`}`);
    const kindWidth = Math.max(0, ...outcome.violations.map((v) => v.kind.length));
    for (const violation of outcome.violations) {
      io.out(`    ${violation.kind.padEnd(kindWidth)}  ${violation.message}`);
    }
  }
  io.out('');
  io.out(summary(outcomes));
}

function summary(outcomes: readonly CarrierAuditOutcome[]): string {
  const audited = outcomes.flatMap((o) => (o.status === 'audited' ? [o] : []));
  const unavailable = outcomes.length - audited.length;
  const dirty = audited.filter((o) => !o.ok);
  const violations = dirty.reduce((sum, o) => sum + o.violations.length, 0);
  const carriers = (n: number) => `${n} carrier${n === 1 ? '' : 's'}`;
  const found =
    dirty.length === 0
      ? `no violations on ${carriers(audited.length)}`
      : `${violations} violation${violations === 1 ? '' : 's'} on ${dirty.length} of ${carriers(audited.length)}`;
  return unavailable === 0 ? found : `${found}; ${carriers(unavailable)} not audited`;
}

function auditJson(outcomes: readonly CarrierAuditOutcome[]) {
  return {
    ok: outcomes.every((o) => o.status === 'audited' && o.ok),
    carriers: outcomes.map((o) =>
      o.status === 'audited'
        ? {
            carrier: o.target.carrier,
            url: o.target.url,
            ok: o.ok,
            counts: o.counts,
            violations: o.violations,
          }
        : {
            carrier: o.target.carrier,
            url: o.target.url,
            error: { code: o.error.code, message: o.error.message },
          },
    ),
  };
}
