import {
  alignedTableLines,
  fixedOrDash as fixed,
  type TableColumn,
} from './internal/aligned-table.ts';
import {
  msPerTopup,
  type ReplicaRun,
  type RunFigures,
  runFigures,
  runName,
} from './replica-summary.ts';

/**
 * A run whose top-ups arrived at a fixed rate per replica. A Node process spends more CPU per
 * request when it is lightly loaded (fewer requests share an event-loop turn), so replica
 * counts' costs only compare at one rate per process, which saturation cannot give them.
 */
export interface FixedRateRun extends ReplicaRun {
  /** Top-ups per second sent to each replica; the run's rate is this times the replicas. */
  readonly ratePerReplica: number;
}

/** A row of the fixed-rate table and of replicas.json. */
export interface FixedRateRow extends RunFigures {
  readonly name: string;
  readonly mode: 'fixed-rate';
  readonly store: 'sqlite' | 'postgres';
  readonly replicas: number;
  readonly ratePerReplica: number;
  /** The arrival rate of the whole run: the rate per replica times the replicas. */
  readonly targetTopupsPerSecond: number;
  /** Intents that ended ok per second, over the window and its last iterations' tail. */
  readonly topupsPerSecond: number;
  /** Iterations the driver could not start on time (every VU busy): the machine fell behind. */
  readonly dropped: number;
  /** Whether the run held its rate: nothing dropped and 95 % of the target or more. */
  readonly keptUp: boolean;
}

/** Share of the target rate a run must reach to count as having held it. */
const KEPT_UP_SHARE = 0.95;

/** Each run's row, with its carrier CPU per top-up against one replica's at the same rate. */
export function summarizeFixedRateRuns(runs: readonly FixedRateRun[]): FixedRateRow[] {
  const one = runs.find((r) => r.store === 'postgres' && r.replicas === 1);
  const oneReplicaCpu = one && msPerTopup(one.cpu.carrierSeconds, one);
  return runs.map((run) => {
    const m = run.measurement;
    const target = run.ratePerReplica * run.replicas;
    return {
      name: runName(run.store, run.replicas),
      mode: 'fixed-rate',
      store: run.store,
      replicas: run.replicas,
      ratePerReplica: run.ratePerReplica,
      targetTopupsPerSecond: target,
      topupsPerSecond: m.topupsPerSecond,
      dropped: m.dropped,
      keptUp: m.dropped === 0 && m.topupsPerSecond >= target * KEPT_UP_SHARE,
      ...runFigures(run, oneReplicaCpu),
    };
  });
}

/**
 * One line per run that did not hold its rate: its cost was then measured at another load
 * per replica than the others', and does not compare with theirs.
 */
export function fixedRateShortfalls(rows: readonly FixedRateRow[]): string[] {
  return rows
    .filter((row) => !row.keptUp)
    .map(
      (row) =>
        `${row.name}: ${row.topupsPerSecond.toFixed(0)} of ${row.targetTopupsPerSecond} top-ups/s, ${row.dropped} iterations dropped; its cost is not at ${row.ratePerReplica}/s per replica (lower --rate-per-replica)`,
    );
}

/** The fixed-rate table, header first, as the bench prints it. */
export function fixedRateTableLines(rows: readonly FixedRateRow[]): string[] {
  const columns: readonly TableColumn<FixedRateRow>[] = [
    ['run', 10, (r) => r.name],
    ['target/s', 8, (r) => String(r.targetTopupsPerSecond)],
    ['top-ups/s', 9, (r) => fixed(r.topupsPerSecond, 1)],
    ['dropped', 7, (r) => String(r.dropped)],
    ['p50 ms', 8, (r) => fixed(r.p50Ms, 2)],
    ['p99 ms', 8, (r) => fixed(r.p99Ms, 2)],
    ['carrier CPU ms/top-up', 21, (r) => fixed(r.carrierCpuMsPerTopup, 2)],
    ['× 1 replica', 11, (r) => fixed(r.carrierCpuVsOneReplica, 2)],
    ['postgres', 8, (r) => fixed(r.postgresCpuMsPerTopup, 2)],
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
