/**
 * `pnpm bench:replicas`: the recharge path's throughput on one att process on SQLite
 * and on 1, 2 and 3 att replicas sharing a PostgreSQL schema, side by side in one run with one
 * driver, one connection count and one duration, load spread round-robin across the replicas.
 * Then the replica counts again at a fixed arrival rate per replica, where their carrier CPU
 * per top-up compares at one load per process. Each run ends with the carrier's audit; the
 * script exits 1 unless every audit is clean. On a machine whose cores the database and the
 * driver share, replicas cannot add throughput: the figures to read there are the audits and
 * the carrier's CPU per top-up at a fixed rate. See load/README.md.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redacted } from '@esimlab/test-utils/redacted-url';
import { describeAudit, formatDuration } from '../src/index.ts';
import {
  type BenchPostgres,
  BenchPostgresUnreachable,
  openBenchPostgres,
} from './internal/bench-postgres.ts';
import { type CarrierUnderTest, startCarrierUnderTest } from './internal/carrier-under-test.ts';
import { busyShare, type MachineCpuTicks, readMachineCpu } from './internal/machine-cpu.ts';
import { cpuSecondsOfProcessesNamed, processesCpuSeconds } from './internal/process-cpu.ts';
import { parseReplicaBenchSettings, replicaBenchUsage } from './replica-settings.ts';
import {
  type FixedRateRow,
  type FixedRateRun,
  fixedRateShortfalls,
  fixedRateTableLines,
  summarizeFixedRateRuns,
} from './report/fixed-rate-summary.ts';
import {
  auditFailures,
  msPerTopup,
  type ReplicaRow,
  type ReplicaRun,
  replicaTableLines,
  runName,
  summarizeReplicaRuns,
  type WindowCpu,
} from './report/replica-summary.ts';
import { roundMs } from './workloads/measurement.ts';
import { runRechargeBench } from './workloads/recharge-load.ts';

// The repository's reports/, where `pnpm bench` is run from.
const reportsDir = fileURLToPath(new URL('../../reports/', import.meta.url));
const parsed = parseReplicaBenchSettings(process.argv.slice(2), process.env, reportsDir);
if (parsed.ok === 'help') {
  console.log(replicaBenchUsage);
  process.exit(0);
}
if (!parsed.ok) {
  console.error(`bench:replicas: ${parsed.message}`);
  process.exit(2);
}
const settings = parsed.settings;
const log = (line: string) => console.log(line);

const configurations = [
  { store: 'sqlite' as const, replicas: 1 },
  ...settings.replicaCounts.map((replicas) => ({ store: 'postgres' as const, replicas })),
];
const startedAt = new Date();
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
const loadBefore = loadavg()[0] ?? 0;
log(`esimlab replica throughput, ${startedAt.toISOString()}`);
log(`machine: ${machine}; load average ${loadBefore.toFixed(2)} before the run`);
log(
  `recharge (att, idempotent style, no faults), ${settings.connections} connections at saturation, then ${settings.ratePerReplica} top-ups/s per replica at a fixed rate; ${formatDuration(settings.warmupMs)} warm-up then ${formatDuration(settings.durationMs)} measured per run; PostgreSQL at ${redacted(settings.postgresUrl)}`,
);

let postgres: BenchPostgres;
try {
  postgres = await openBenchPostgres(settings.postgresUrl);
} catch (error) {
  if (!(error instanceof BenchPostgresUnreachable)) throw error;
  console.error(`bench:replicas: ${error.message}`);
  process.exit(2);
}

type Load =
  | { readonly kind: 'saturation' }
  | { readonly kind: 'fixed-rate'; readonly ratePerReplica: number };
const phases: {
  readonly store: 'sqlite' | 'postgres';
  readonly replicas: number;
  readonly load: Load;
}[] = [
  ...configurations.map((c) => ({ ...c, load: { kind: 'saturation' } as const })),
  ...settings.replicaCounts.map((replicas) => ({
    store: 'postgres' as const,
    replicas,
    load: { kind: 'fixed-rate', ratePerReplica: settings.ratePerReplica } as const,
  })),
];
const runs: ReplicaRun[] = [];
const fixedRuns: FixedRateRun[] = [];
let failure: unknown;
for (const [index, { store, replicas, load }] of phases.entries()) {
  const name = runName(store, replicas);
  const at =
    load.kind === 'fixed-rate' ? ` at ${load.ratePerReplica}/s per replica` : ' at saturation';
  const step = `[${index + 1}/${phases.length}] ${name}${at}`;
  if (index === configurations.length) {
    log(
      `\nfixed rate: each replica count driven at ${settings.ratePerReplica} top-ups/s per replica, so every replica carries the same load whatever their number`,
    );
  }
  try {
    const run = await measureConfiguration(store, replicas, load, name, step);
    if (load.kind === 'fixed-rate') fixedRuns.push({ ...run, ratePerReplica: load.ratePerReplica });
    else runs.push(run);
  } catch (error) {
    failure = error;
    break;
  }
}

const rows = summarizeReplicaRuns(runs);
const fixedRows = summarizeFixedRateRuns(fixedRuns);
const loadAfter = loadavg()[0] ?? 0;
const elapsedS = (Date.now() - startedAt.getTime()) / 1000;
if (rows.length > 0) {
  log(
    `\nresults at saturation: ${settings.connections} connections, ${formatDuration(settings.durationMs)} each; × sqlite compares top-ups/s; CPU in ms per top-up over the measured window (postgres: every postgres process on the machine; busy: all cores, anyone's); rollbacks: transactions PostgreSQL rolled back, mostly serialisation conflicts`,
  );
  for (const line of replicaTableLines(rows)) log(line);
}
if (fixedRows.length > 0) {
  log(
    `\nresults at a fixed rate: ${settings.ratePerReplica} top-ups/s per replica, ${formatDuration(settings.durationMs)} each; every replica carries the same load, so carrier CPU per top-up (every replica summed) stays flat unless replicas cost extra; × 1 replica compares it with one replica's at the same rate`,
  );
  for (const line of fixedRateTableLines(fixedRows)) log(line);
  for (const line of fixedRateShortfalls(fixedRows)) log(`did not keep up: ${line}`);
}
log(`load average ${loadAfter.toFixed(2)} after the run; ${elapsedS.toFixed(0)} s in all`);

if (rows.length + fixedRows.length > 0) {
  await mkdir(settings.reportsDir, { recursive: true });
  const file = join(settings.reportsDir, 'replicas.json');
  const common = (row: ReplicaRow | FixedRateRow) => ({
    rps: Math.round(row.rps),
    p50Ms: roundMs(row.p50Ms),
    p99Ms: roundMs(row.p99Ms),
    carrierCpuMsPerTopup: rounded(row.carrierCpuMsPerTopup),
    carrierCpuVsOneReplica: rounded(row.carrierCpuVsOneReplica),
    postgresCpuMsPerTopup: rounded(row.postgresCpuMsPerTopup),
    driverCpuMsPerTopup: rounded(row.driverCpuMsPerTopup),
    machineBusyShare: rounded(row.machineBusyShare),
    rollbacksPerTopup: rounded(row.rollbacksPerTopup),
    durationMs: settings.durationMs,
  });
  const report = [
    ...rows.map((row) => ({
      ...row,
      ...common(row),
      topupsPerSecond: Math.round(row.topupsPerSecond),
      vsSqlite: rounded(row.vsSqlite),
      rpsPerReplica: Math.round(row.rpsPerReplica),
      connections: settings.connections,
    })),
    ...fixedRows.map((row) => ({
      ...row,
      ...common(row),
      topupsPerSecond: rounded(row.topupsPerSecond),
    })),
  ];
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  log(`\nwrote ${file}`);
}

const dirty = auditFailures([...rows, ...fixedRows]);
if (failure !== undefined) {
  console.error(
    `\nbench:replicas: a run could not finish: ${(failure as Error)?.stack ?? failure}`,
  );
  process.exit(1);
}
if (dirty.length > 0) {
  console.error(`\nbench:replicas: audits not clean:\n  ${dirty.join('\n  ')}`);
  process.exit(1);
}
log(
  `every audit clean: ${rows.length + fixedRows.length} runs and their warm-ups, no duplicate charge, no lost top-up`,
);
process.exit(0);

/**
 * Starts the configuration, warms it up and measures it under `load`, then stops it (and
 * drops its schema). Throws when a run cannot finish or the warm-up's audit is not clean.
 */
async function measureConfiguration(
  store: 'sqlite' | 'postgres',
  replicas: number,
  load: Load,
  name: string,
  step: string,
): Promise<ReplicaRun> {
  const what =
    store === 'sqlite'
      ? 'one process on SQLite'
      : `${replicas} replica${replicas === 1 ? '' : 's'} on a fresh PostgreSQL schema`;
  let carrier: CarrierUnderTest | undefined;
  let gaveUp = 0;
  // A transaction that kept losing to other replicas' is logged with its stack (and a request's
  // answered 503): counted here instead, and reported with the run.
  const onLog = (line: string, replica: number) => {
    if (line.includes('"transaction_conflict"')) gaveUp += 1;
    else process.stderr.write(`[carrier${replica > 0 ? `/${replica}` : ''}] ${line}\n`);
  };
  try {
    log(`\n${step}: starting ${what}`);
    carrier = await startCarrierUnderTest(
      store === 'sqlite'
        ? { onLog }
        : {
            store: {
              kind: 'postgres',
              url: settings.postgresUrl,
              schemaPrefix: postgres.newSchemaPrefix(),
            },
            replicas,
            onLog,
          },
    );
    const running = carrier;
    log(`${step}: listening on ${running.replicaUrls.join(', ')}`);
    const scenario = load.kind === 'fixed-rate' ? `${name}-fixed-rate` : name;
    const spec = {
      baseUrl: running.replicaUrls,
      load:
        load.kind === 'saturation'
          ? ({ kind: 'saturation', connections: settings.connections } as const)
          : ({
              kind: 'fixed-rate',
              // Iterations go round-robin across the replicas: each gets the rate per replica.
              rate: load.ratePerReplica * replicas,
              connections: settings.connections,
              maxVUs: settings.connections * 4,
            } as const),
      subscribers: settings.subscribers,
    };
    const warm = await runRechargeBench({
      ...spec,
      name: `${scenario}-warm-up`,
      durationMs: settings.warmupMs,
    });
    log(
      `${step}: warm-up ${warm.topupsPerSecond.toFixed(0)} top-ups/s; ${describeAudit(warm.audit, 'att').split('\n')[0]}`,
    );
    // The warm-up's audit judges correctness too: a dirty one fails as the measured one would.
    if (!(warm.audit.status === 'audited' && warm.audit.ok)) {
      throw new Error(`${name}: the warm-up's ${describeAudit(warm.audit, 'att')}`);
    }
    log(`${step}: measuring ${formatDuration(settings.durationMs)}`);
    const rollbacks = () =>
      store === 'postgres' ? postgres.rolledBackTransactions() : Promise.resolve(undefined);
    let before: CpuReading | undefined;
    let after: CpuReading | undefined;
    let rollbacksBefore: number | undefined;
    let gaveUpBefore = 0;
    const measurement = await runRechargeBench({
      ...spec,
      name: scenario,
      durationMs: settings.durationMs,
      onWindowStart: async () => {
        [before, rollbacksBefore] = await Promise.all([readCpu(running, store), rollbacks()]);
        gaveUpBefore = gaveUp;
      },
      onWindowEnd: async () => {
        after = await readCpu(running, store);
      },
    });
    // Read after the audit, which rolls nothing back: PostgreSQL publishes a backend's counts
    // up to a second late.
    const rollbacksAfter = await rollbacks();
    const run: ReplicaRun = {
      store,
      replicas,
      measurement,
      cpu: windowCpu(before, after),
      conflicts: {
        rolledBack:
          rollbacksBefore === undefined || rollbacksAfter === undefined
            ? undefined
            : rollbacksAfter - rollbacksBefore,
        gaveUp: gaveUp - gaveUpBefore,
      },
    };
    const carrierCpu = msPerTopup(run.cpu.carrierSeconds, run);
    log(
      `${step}: ${measurement.rps.toFixed(0)} req/s, p50 ${measurement.p50Ms.toFixed(2)} ms, p99 ${measurement.p99Ms.toFixed(2)} ms, ${measurement.topupsPerSecond.toFixed(load.kind === 'fixed-rate' ? 1 : 0)} top-ups/s${load.kind === 'fixed-rate' ? ` (${measurement.dropped} iterations dropped)` : ''}, carrier ${carrierCpu?.toFixed(2) ?? '-'} ms CPU/top-up; intents ok ${measurement.outcomes.ok}, failed ${measurement.outcomes.failed}, unknown ${measurement.outcomes.unknown}; ${measurement.retries} purchase retries, ${run.conflicts.gaveUp} transactions given up after repeated conflicts${run.conflicts.rolledBack === undefined ? '' : `, ${run.conflicts.rolledBack} transactions rolled back in the database`}`,
    );
    log(`${step}: ${describeAudit(measurement.audit, 'att').split('\n').join(`\n${step}: `)}`);
    return run;
  } finally {
    await carrier?.stop().catch((error: unknown) => log(`could not stop the carrier: ${error}`));
    if (store === 'postgres') {
      await postgres
        .dropSchemas()
        .then(() => log(`${step}: stopped; schema dropped`))
        .catch((error: unknown) => log(`${step}: could not drop its schema: ${error}`));
    } else if (carrier !== undefined) {
      log(`${step}: stopped`);
    }
  }
}

interface CpuReading {
  readonly carrier: number | undefined;
  readonly postgres: number | undefined;
  readonly driver: NodeJS.CpuUsage;
  readonly machine: MachineCpuTicks | undefined;
}

async function readCpu(
  carrier: CarrierUnderTest,
  store: 'sqlite' | 'postgres',
): Promise<CpuReading> {
  const [carrierSeconds, postgresSeconds, machineTicks] = await Promise.all([
    processesCpuSeconds(carrier.replicaPids()),
    store === 'postgres' ? cpuSecondsOfProcessesNamed('postgres') : undefined,
    readMachineCpu(),
  ]);
  return {
    carrier: carrierSeconds,
    postgres: postgresSeconds,
    driver: process.cpuUsage(),
    machine: machineTicks,
  };
}

function windowCpu(before: CpuReading | undefined, after: CpuReading | undefined): WindowCpu {
  const delta = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? undefined : b - a;
  return {
    carrierSeconds: delta(before?.carrier, after?.carrier),
    postgresSeconds: delta(before?.postgres, after?.postgres),
    driverSeconds:
      before === undefined || after === undefined
        ? undefined
        : (after.driver.user + after.driver.system - before.driver.user - before.driver.system) /
          1e6,
    machineBusyShare: busyShare(before?.machine, after?.machine),
  };
}

/** Two decimals; null (kept in the JSON, unlike undefined) where there is no figure. */
function rounded(value: number | undefined): number | null {
  return value === undefined ? null : Math.round(value * 100) / 100;
}
