import type { RechargeAudit } from '../../src/index.ts';
import type { RechargeMeasurement } from '../workloads/recharge-load.ts';
import {
  alignedTableLines,
  fixedOrDash as fixed,
  type TableColumn,
} from './internal/aligned-table.ts';

/** CPU seconds over one run's measured window (setup's seeding and the audit left out). */
export interface WindowCpu {
  /** The carrier's processes, every replica summed. */
  readonly carrierSeconds: number | undefined;
  /** Every `postgres` process on the machine; only for the PostgreSQL runs. */
  readonly postgresSeconds: number | undefined;
  /** The bench process: the load driver. */
  readonly driverSeconds: number | undefined;
  /** The share of all cores busy, whoever used them. */
  readonly machineBusyShare: number | undefined;
}

/** Serialisable transactions that lost to concurrent ones, over one run. */
export interface ConflictCounts {
  /** Rolled back in the database, by any client (undefined on SQLite). */
  readonly rolledBack: number | undefined;
  /** Transactions the carrier gave up on after its own retries (a request's answered 503). */
  readonly gaveUp: number;
}

/** One configuration's run: the store, its processes and what they did. */
export interface ReplicaRun {
  readonly store: 'sqlite' | 'postgres';
  readonly replicas: number;
  readonly measurement: RechargeMeasurement;
  readonly cpu: WindowCpu;
  readonly conflicts: ConflictCounts;
}

export interface AuditFigures {
  readonly clean: boolean;
  /** Purchases the audit found charged more than once. */
  readonly duplicateCharges: number;
  /** Top-ups captured but never credited. */
  readonly lostTopups: number;
  readonly violations: number;
  /** Why there is no audit, when there is none (a run without one is not clean). */
  readonly unavailable?: string;
}

/** How a run was loaded: a closed loop of VUs, or top-ups arriving at a fixed rate. */
export type ReplicaRunMode = 'saturation' | 'fixed-rate';

/** What every run costs and yields, whichever way it was loaded. */
export interface RunFigures {
  /** Requests per second, retries included, as bench.json counts them. */
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Every replica summed: flat across replica counts is what a replica costing nothing extra gives. */
  readonly carrierCpuMsPerTopup: number | undefined;
  /** Carrier CPU per top-up over that of one PostgreSQL replica loaded the same way: flat is about 1. */
  readonly carrierCpuVsOneReplica: number | undefined;
  readonly postgresCpuMsPerTopup: number | undefined;
  readonly driverCpuMsPerTopup: number | undefined;
  readonly machineBusyShare: number | undefined;
  /** Transactions rolled back in the database per top-up: the cost of replicas contending. */
  readonly rollbacksPerTopup: number | undefined;
  readonly conflictGiveUps: number;
  readonly topups: number;
  readonly failed: number;
  readonly unknown: number;
  readonly retries: number;
  readonly audit: AuditFigures;
}

/** A row of the saturation table and of replicas.json. */
export interface ReplicaRow extends RunFigures {
  readonly name: string;
  readonly mode: 'saturation';
  readonly store: 'sqlite' | 'postgres';
  readonly replicas: number;
  /** Intents that ended ok per second: the throughput the ratio compares. */
  readonly topupsPerSecond: number;
  /** top-ups/s over the SQLite process's, in the same run. */
  readonly vsSqlite: number | undefined;
  readonly rpsPerReplica: number;
}

export const runName = (store: 'sqlite' | 'postgres', replicas: number): string =>
  store === 'sqlite' ? 'sqlite' : `postgres-${replicas}`;

/** CPU seconds over the run's ok top-ups: ms per top-up (undefined without a reading or a top-up). */
export function msPerTopup(seconds: number | undefined, run: ReplicaRun): number | undefined {
  return seconds === undefined || run.measurement.outcomes.ok === 0
    ? undefined
    : (seconds * 1000) / run.measurement.outcomes.ok;
}

/** Transactions rolled back in the database per ok top-up (undefined on SQLite). */
export function rollbacksPerTopup(run: ReplicaRun): number | undefined {
  return run.conflicts.rolledBack === undefined || run.measurement.outcomes.ok === 0
    ? undefined
    : run.conflicts.rolledBack / run.measurement.outcomes.ok;
}

/** Each run's row, with its ratios to the SQLite process and to one PostgreSQL replica. */
export function summarizeReplicaRuns(runs: readonly ReplicaRun[]): ReplicaRow[] {
  const sqlite = runs.find((r) => r.store === 'sqlite');
  const onePostgres = runs.find((r) => r.store === 'postgres' && r.replicas === 1);
  const oneReplicaCpu = onePostgres && msPerTopup(onePostgres.cpu.carrierSeconds, onePostgres);
  return runs.map((run) => {
    const m = run.measurement;
    const sqliteRate = sqlite?.measurement.topupsPerSecond ?? 0;
    return {
      name: runName(run.store, run.replicas),
      mode: 'saturation',
      store: run.store,
      replicas: run.replicas,
      topupsPerSecond: m.topupsPerSecond,
      vsSqlite: sqliteRate > 0 ? m.topupsPerSecond / sqliteRate : undefined,
      rpsPerReplica: m.rps / run.replicas,
      ...runFigures(run, oneReplicaCpu),
    };
  });
}

/** A run's figures, its carrier CPU per top-up against `oneReplicaCpu` (ms) when there is one. */
export function runFigures(run: ReplicaRun, oneReplicaCpu: number | undefined): RunFigures {
  const m = run.measurement;
  const carrierCpu = msPerTopup(run.cpu.carrierSeconds, run);
  return {
    rps: m.rps,
    p50Ms: m.p50Ms,
    p99Ms: m.p99Ms,
    carrierCpuMsPerTopup: carrierCpu,
    carrierCpuVsOneReplica:
      run.store === 'postgres' && carrierCpu !== undefined && oneReplicaCpu
        ? carrierCpu / oneReplicaCpu
        : undefined,
    postgresCpuMsPerTopup: msPerTopup(run.cpu.postgresSeconds, run),
    driverCpuMsPerTopup: msPerTopup(run.cpu.driverSeconds, run),
    machineBusyShare: run.cpu.machineBusyShare,
    rollbacksPerTopup: rollbacksPerTopup(run),
    conflictGiveUps: run.conflicts.gaveUp,
    topups: m.outcomes.ok,
    failed: m.outcomes.failed,
    unknown: m.outcomes.unknown,
    retries: m.retries,
    audit: auditFigures(m.audit),
  };
}

/** What the carrier's audit found, reduced to the two things that must be zero. */
export function auditFigures(audit: RechargeAudit): AuditFigures {
  if (audit.status === 'unavailable') {
    return {
      clean: false,
      duplicateCharges: 0,
      lostTopups: 0,
      violations: 0,
      unavailable: audit.reason,
    };
  }
  const ofKind = (kind: string) =>
    audit.counts[kind] ?? audit.violations.filter((v) => v.kind === kind).length;
  return {
    clean: audit.ok && audit.violations.length === 0,
    duplicateCharges: ofKind('duplicate_charge'),
    lostTopups: ofKind('lost_topup'),
    violations: audit.violations.length,
  };
}

/**
 * One line per run whose audit is not clean, saying what it found; none when all are. A
 * fixed-rate run is named as such, since its configuration also ran at saturation.
 */
export function auditFailures(
  rows: readonly {
    readonly name: string;
    readonly mode: ReplicaRunMode;
    readonly audit: AuditFigures;
  }[],
): string[] {
  return rows.flatMap((row) => {
    const a = row.audit;
    if (a.clean) return [];
    const name = row.mode === 'fixed-rate' ? `${row.name} (fixed rate)` : row.name;
    if (a.unavailable !== undefined) return [`${name}: no audit (${a.unavailable})`];
    return [
      `${name}: ${a.duplicateCharges} duplicate charges, ${a.lostTopups} lost top-ups, ${a.violations} violations in all`,
    ];
  });
}

/** The side-by-side table, header first, as the bench prints it. */
export function replicaTableLines(rows: readonly ReplicaRow[]): string[] {
  const columns: readonly TableColumn<ReplicaRow>[] = [
    ['run', 10, (r) => r.name],
    ['req/s', 7, (r) => fixed(r.rps, 0)],
    ['p50 ms', 8, (r) => fixed(r.p50Ms, 2)],
    ['p99 ms', 8, (r) => fixed(r.p99Ms, 2)],
    ['top-ups/s', 9, (r) => fixed(r.topupsPerSecond, 0)],
    ['× sqlite', 8, (r) => fixed(r.vsSqlite, 2)],
    ['req/s/replica', 13, (r) => fixed(r.rpsPerReplica, 0)],
    ['carrier CPU ms/top-up', 21, (r) => fixed(r.carrierCpuMsPerTopup, 2)],
    ['× 1 replica', 11, (r) => fixed(r.carrierCpuVsOneReplica, 2)],
    ['postgres', 8, (r) => fixed(r.postgresCpuMsPerTopup, 2)],
    ['driver', 6, (r) => fixed(r.driverCpuMsPerTopup, 2)],
    ['rollbacks/top-up', 16, (r) => fixed(r.rollbacksPerTopup, 2)],
    [
      'busy',
      5,
      (r) => (r.machineBusyShare === undefined ? '-' : `${fixed(r.machineBusyShare * 100, 0)}%`),
    ],
    ['audit', 5, (r) => (r.audit.clean ? 'clean' : 'FAIL')],
  ];
  return alignedTableLines(columns, rows);
}
