import { describe, expect, it } from 'vitest';
import type { RechargeAudit } from '../../src/index.ts';
import type { RechargeMeasurement } from '../workloads/recharge-load.ts';
import {
  auditFailures,
  type ReplicaRun,
  replicaTableLines,
  summarizeReplicaRuns,
} from './replica-summary.ts';

const clean: RechargeAudit = { status: 'audited', ok: true, counts: {}, violations: [] };

const run = (
  store: 'sqlite' | 'postgres',
  replicas: number,
  figures: {
    rps: number;
    topups: number;
    carrierSeconds?: number;
    rolledBack?: number;
    audit?: RechargeAudit;
  },
): ReplicaRun => {
  const measurement: RechargeMeasurement = {
    name: store,
    rps: figures.rps,
    p50Ms: 10,
    p99Ms: 40,
    requests: figures.rps * 10,
    durationMs: 10_000,
    replay: false,
    topupsPerSecond: figures.topups / 10,
    outcomes: { ok: figures.topups, failed: 0, unknown: 0 },
    dropped: 0,
    retries: 0,
    audit: figures.audit ?? clean,
  };
  return {
    store,
    replicas,
    measurement,
    cpu: {
      carrierSeconds: figures.carrierSeconds,
      postgresSeconds: undefined,
      driverSeconds: 1,
      machineBusyShare: 0.98,
    },
    conflicts: { rolledBack: figures.rolledBack, gaveUp: 0 },
  };
};

describe('summarizeReplicaRuns', () => {
  it('compares each run’s top-ups/s with the SQLite process’s, retries left out', () => {
    const rows = summarizeReplicaRuns([
      run('sqlite', 1, { rps: 400, topups: 4000 }),
      // More requests than top-ups: 503 conflicts retried; they are not throughput.
      run('postgres', 2, { rps: 330, topups: 3000 }),
    ]);
    expect(rows.map((r) => [r.name, r.vsSqlite])).toEqual([
      ['sqlite', 1],
      ['postgres-2', 0.75],
    ]);
    expect(rows[1]?.rpsPerReplica).toBe(165);
  });

  it('gives carrier CPU per top-up summed over replicas, and its ratio to one replica', () => {
    const rows = summarizeReplicaRuns([
      run('postgres', 1, { rps: 300, topups: 3000, carrierSeconds: 6, rolledBack: 0 }),
      run('postgres', 3, { rps: 300, topups: 2000, carrierSeconds: 4.4, rolledBack: 500 }),
    ]);
    expect(rows.map((r) => r.carrierCpuMsPerTopup)).toEqual([2, 2.2]);
    expect(rows.map((r) => r.rollbacksPerTopup)).toEqual([0, 0.25]);
    expect(rows[1]?.carrierCpuVsOneReplica).toBeCloseTo(1.1);
    expect(rows[0]?.vsSqlite).toBeUndefined();
    expect(rows[0]?.driverCpuMsPerTopup).toBeCloseTo(1 / 3);
  });

  it('has no per-top-up figure for a run that bought nothing or could not read the CPU', () => {
    const [none, unread] = summarizeReplicaRuns([
      run('postgres', 1, { rps: 0, topups: 0, carrierSeconds: 1 }),
      run('postgres', 2, { rps: 10, topups: 100 }),
    ]);
    expect(none?.carrierCpuMsPerTopup).toBeUndefined();
    expect(unread?.carrierCpuMsPerTopup).toBeUndefined();
    expect(unread?.carrierCpuVsOneReplica).toBeUndefined();
  });
});

describe('auditFailures', () => {
  it('names each run whose audit found a duplicate charge or a lost top-up, or has none', () => {
    const dirty: RechargeAudit = {
      status: 'audited',
      ok: false,
      counts: { duplicate_charge: 2, lost_topup: 1 },
      violations: [
        { kind: 'duplicate_charge', message: 'twice', chargeIds: ['ch_1', 'ch_2'] },
        { kind: 'duplicate_charge', message: 'twice', chargeIds: ['ch_3', 'ch_4'] },
        { kind: 'lost_topup', message: 'never credited', chargeIds: ['ch_5'] },
      ],
    };
    const rows = summarizeReplicaRuns([
      run('sqlite', 1, { rps: 1, topups: 1 }),
      run('postgres', 2, { rps: 1, topups: 1, audit: dirty }),
      run('postgres', 3, {
        rps: 1,
        topups: 1,
        audit: { status: 'unavailable', reason: 'reset: socket hang up' },
      }),
    ]);
    expect(rows.map((r) => r.audit.clean)).toEqual([true, false, false]);
    expect(auditFailures(rows)).toEqual([
      'postgres-2: 2 duplicate charges, 1 lost top-ups, 3 violations in all',
      'postgres-3: no audit (reset: socket hang up)',
    ]);
  });

  it('is empty when every audit is clean', () => {
    expect(auditFailures(summarizeReplicaRuns([run('sqlite', 1, { rps: 1, topups: 1 })]))).toEqual(
      [],
    );
  });
});

describe('replicaTableLines', () => {
  it('prints a header and one aligned line per run, a dash where a figure is missing', () => {
    const lines = replicaTableLines(
      summarizeReplicaRuns([
        run('sqlite', 1, { rps: 400, topups: 4000, carrierSeconds: 9.6 }),
        run('postgres', 1, { rps: 200, topups: 2000 }),
      ]),
    );
    expect(lines).toHaveLength(3);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines[1]).toMatch(/^sqlite\s+400\s+10\.00\s+40\.00\s+400\s+1\.00\s+400\s+2\.40\s+-/);
    expect(lines[2]).toMatch(/^postgres-1 .* 0\.50 .* -\s+-\s+-\s+0\.50\s+-\s+98%\s+clean$/);
  });
});
