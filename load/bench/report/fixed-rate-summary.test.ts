import { describe, expect, it } from 'vitest';
import type { RechargeAudit } from '../../src/index.ts';
import type { RechargeMeasurement } from '../workloads/recharge-load.ts';
import {
  type FixedRateRun,
  fixedRateShortfalls,
  fixedRateTableLines,
  summarizeFixedRateRuns,
} from './fixed-rate-summary.ts';
import { auditFailures, summarizeReplicaRuns } from './replica-summary.ts';

const clean: RechargeAudit = { status: 'audited', ok: true, counts: {}, violations: [] };

/** A 10-s run of `replicas` replicas at `ratePerReplica` each. */
const run = (
  replicas: number,
  figures: {
    topups: number;
    dropped?: number;
    carrierSeconds?: number;
    postgresSeconds?: number;
    rolledBack?: number;
    audit?: RechargeAudit;
  },
  ratePerReplica = 35,
): FixedRateRun => {
  const measurement: RechargeMeasurement = {
    name: `postgres-${replicas}-fixed-rate`,
    rps: figures.topups / 10,
    p50Ms: 12,
    p99Ms: 60,
    requests: figures.topups,
    durationMs: 10_000,
    replay: false,
    topupsPerSecond: figures.topups / 10,
    outcomes: { ok: figures.topups, failed: 0, unknown: 0 },
    dropped: figures.dropped ?? 0,
    retries: 0,
    audit: figures.audit ?? clean,
  };
  return {
    store: 'postgres',
    replicas,
    ratePerReplica,
    measurement,
    cpu: {
      carrierSeconds: figures.carrierSeconds,
      postgresSeconds: figures.postgresSeconds,
      driverSeconds: undefined,
      machineBusyShare: 0.4,
    },
    conflicts: { rolledBack: figures.rolledBack, gaveUp: 0 },
  };
};

describe('summarizeFixedRateRuns', () => {
  it('gives carrier CPU per top-up summed over replicas, against one replica’s at that rate', () => {
    const rows = summarizeFixedRateRuns([
      run(1, { topups: 350, carrierSeconds: 1.575, postgresSeconds: 0.7, rolledBack: 0 }),
      run(2, { topups: 700, carrierSeconds: 3.15, postgresSeconds: 1.4, rolledBack: 70 }),
      run(3, { topups: 1050, carrierSeconds: 5.25, postgresSeconds: 2.1, rolledBack: 315 }),
    ]);
    expect(rows.map((r) => [r.name, r.mode, r.targetTopupsPerSecond, r.topupsPerSecond])).toEqual([
      ['postgres-1', 'fixed-rate', 35, 35],
      ['postgres-2', 'fixed-rate', 70, 70],
      ['postgres-3', 'fixed-rate', 105, 105],
    ]);
    expect(rows.map((r) => r.carrierCpuMsPerTopup)).toEqual([4.5, 4.5, 5]);
    expect(rows[1]?.carrierCpuVsOneReplica).toBeCloseTo(1);
    expect(rows[2]?.carrierCpuVsOneReplica).toBeCloseTo(5 / 4.5);
    expect(rows.map((r) => r.postgresCpuMsPerTopup)).toEqual([2, 2, 2]);
    expect(rows.map((r) => r.rollbacksPerTopup)).toEqual([0, 0.1, 0.3]);
    expect(rows.every((r) => r.keptUp && r.audit.clean)).toBe(true);
  });

  it('has no ratio without one replica’s run, and no per-top-up figure without a reading', () => {
    const [row] = summarizeFixedRateRuns([run(2, { topups: 700 })]);
    expect(row?.carrierCpuMsPerTopup).toBeUndefined();
    expect(row?.carrierCpuVsOneReplica).toBeUndefined();
    expect(row?.rollbacksPerTopup).toBeUndefined();
  });
});

describe('fixedRateShortfalls', () => {
  it('names a run that dropped iterations or fell below 95 % of its target, and no other', () => {
    const rows = summarizeFixedRateRuns([
      // 34 of 35/s: held.
      run(1, { topups: 340 }),
      // Nothing dropped, but the last iterations' tail made the run 10 % slower than its rate.
      run(2, { topups: 630 }),
      run(3, { topups: 1040, dropped: 10 }),
    ]);
    expect(rows.map((r) => r.keptUp)).toEqual([true, false, false]);
    expect(fixedRateShortfalls(rows)).toEqual([
      'postgres-2: 63 of 70 top-ups/s, 0 iterations dropped; its cost is not at 35/s per replica (lower --rate-per-replica)',
      'postgres-3: 104 of 105 top-ups/s, 10 iterations dropped; its cost is not at 35/s per replica (lower --rate-per-replica)',
    ]);
  });
});

describe('auditFailures on fixed-rate runs', () => {
  it('names a dirty fixed-rate run apart from the same configuration at saturation', () => {
    const dirty: RechargeAudit = {
      status: 'audited',
      ok: false,
      counts: { duplicate_charge: 0, lost_topup: 1 },
      violations: [{ kind: 'lost_topup', message: 'never credited', chargeIds: ['ch_9'] }],
    };
    const saturation = summarizeReplicaRuns([run(2, { topups: 700 })]);
    const fixedRate = summarizeFixedRateRuns([run(2, { topups: 700, audit: dirty })]);
    expect(auditFailures([...saturation, ...fixedRate])).toEqual([
      'postgres-2 (fixed rate): 0 duplicate charges, 1 lost top-ups, 1 violations in all',
    ]);
  });
});

describe('fixedRateTableLines', () => {
  it('prints a header and one aligned line per run, a dash where a figure is missing', () => {
    const lines = fixedRateTableLines(
      summarizeFixedRateRuns([
        run(1, { topups: 350, carrierSeconds: 1.575, postgresSeconds: 0.7, rolledBack: 0 }),
        run(2, { topups: 690, dropped: 3 }),
      ]),
    );
    expect(lines).toHaveLength(3);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines[0]).toMatch(/^run\s+target\/s\s+top-ups\/s\s+dropped\s+p50 ms/);
    expect(lines[1]).toMatch(
      /^postgres-1\s+35\s+35\.0\s+0\s+12\.00\s+60\.00\s+4\.50\s+1\.00\s+2\.00\s+0\.00\s+40%\s+clean$/,
    );
    expect(lines[2]).toMatch(
      /^postgres-2\s+70\s+69\.0\s+3\s+12\.00\s+60\.00\s+-\s+-\s+-\s+-\s+40%/,
    );
  });
});
