import { describe, expect, it } from 'vitest';
import type { RechargeRun } from '../internal/carrier-window.ts';
import type { BenchSummary } from './bench-summary.ts';
import { judgeTargets } from './bench-targets.ts';

const recharge = (vsExpress: number): BenchSummary => ({
  name: 'recharge',
  rounds: 3,
  rps: 100,
  rpsMin: 90,
  rpsMax: 110,
  p50Ms: 5,
  p99Ms: 20,
  vsExpressEcho: { median: vsExpress, min: vsExpress, max: vsExpress },
});

const fixed = (p99Ms: number, dropped = 0): RechargeRun => ({
  name: 'recharge-fixed-1000',
  rps: 1000,
  p50Ms: 2,
  p99Ms,
  requests: 20_000,
  durationMs: 20_000,
  replay: false,
  topupsPerSecond: 1000,
  outcomes: { ok: 20_000, failed: 0, unknown: 0 },
  dropped,
  retries: 0,
  audit: { status: 'audited', ok: true, counts: {}, violations: [] },
  carrierCpuMsPerTopup: 1,
  carrierMainThread: undefined,
});

const judge = (input: Partial<Parameters<typeof judgeTargets>[0]>) =>
  judgeTargets({
    summaries: [],
    fixed: undefined,
    fixedRate: 1000,
    memory: undefined,
    driverVsAutocannon: undefined,
    ...input,
  }).map((v) => v.status);

describe('judgeTargets', () => {
  it('meets the saturation target at half the Express echo and misses it below', () => {
    expect(judge({ summaries: [recharge(0.5)] })[0]).toBe('met');
    expect(judge({ summaries: [recharge(0.49)] })[0]).toBe('missed');
  });

  it('misses the fixed-rate target when iterations were dropped, however low the p99', () => {
    expect(judge({ fixed: fixed(4) })[1]).toBe('met');
    expect(judge({ fixed: fixed(4, 12) })[1]).toBe('missed');
    expect(judge({ fixed: fixed(10) })[1]).toBe('missed');
  });

  it('suggests a rate the carrier can hold when it fell behind 1,000/s and took less at saturation', () => {
    const actual = (saturationRps: number) =>
      judgeTargets({
        summaries: [{ ...recharge(0.2), rps: saturationRps }],
        fixed: { ...fixed(350, 4719), topupsPerSecond: 675 },
        fixedRate: 1000,
        memory: undefined,
        driverVsAutocannon: undefined,
      })[1]?.actual;
    expect(actual(691)).toBe(
      'p99 350.00 ms at 675 top-ups/s, 4719 iterations dropped (the carrier fell behind the rate: it took 691 top-ups/s at saturation here; --fixed-rate 350 measures its latency at a rate it can hold)',
    );
    expect(actual(60)).toContain('--fixed-rate 50 measures');
    // A carrier that took more than the rate at saturation gets no suggestion.
    expect(actual(1400)).toBe(
      'p99 350.00 ms at 675 top-ups/s, 4719 iterations dropped (the carrier fell behind the rate)',
    );
  });

  it('judges the fixed-rate target at 1,000 top-ups/s only, and reports a run at another rate', () => {
    const verdicts = judgeTargets({
      summaries: [],
      fixed: fixed(4),
      fixedRate: 250,
      memory: undefined,
      driverVsAutocannon: undefined,
    });
    expect(verdicts[1]?.status).toBe('not measured');
    expect(verdicts[1]?.target).toContain('1000 top-ups/s');
    expect(verdicts[1]?.actual).toContain(
      'run at 250 top-ups/s instead (--fixed-rate): p99 4.00 ms',
    );
  });

  it("says how busy the carrier's main thread was at the fixed rate, when it was read", () => {
    const actual = (run: RechargeRun, fixedRate = 1000) =>
      judgeTargets({
        summaries: [],
        fixed: run,
        fixedRate,
        memory: undefined,
        driverVsAutocannon: undefined,
      })[1]?.actual;
    const busy = { busyShare: 0.943, waitingShare: 0.04 };
    expect(actual({ ...fixed(25), carrierMainThread: busy })).toBe(
      "p99 25.00 ms at 1000 top-ups/s; the carrier's main thread 94 % busy, 4 % waiting for a core",
    );
    expect(actual({ ...fixed(4), carrierMainThread: busy }, 500)).toContain(
      "p50 2.00 ms; the carrier's main thread 94 % busy",
    );
    expect(actual(fixed(25))).toBe('p99 25.00 ms at 1000 top-ups/s');
  });

  it('does not call memory flat before the carrier took the top-ups it was asked to', () => {
    const mb = 1024 * 1024;
    expect(
      judge({
        memory: {
          topups: 100_000,
          goalTopups: 100_000,
          maxRssBytes: 200 * mb,
          atMarksBytes: [100 * mb],
        },
      })[2],
    ).toBe('met');
    expect(
      judge({
        memory: {
          topups: 100_000,
          goalTopups: 100_000,
          maxRssBytes: 300 * mb,
          atMarksBytes: [100 * mb],
        },
      })[2],
    ).toBe('missed');
    expect(
      judge({
        memory: {
          topups: 40_000,
          goalTopups: 100_000,
          maxRssBytes: 100 * mb,
          atMarksBytes: [100 * mb],
        },
      })[2],
    ).toBe('not measured');
  });

  it('leaves every target unmeasured when nothing ran', () => {
    expect(judge({})).toEqual(['not measured', 'not measured', 'not measured', 'not measured']);
  });
});
