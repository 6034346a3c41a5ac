import { describe, expect, it } from 'vitest';
import type { BenchName } from '../bench-settings.ts';
import type { Measurement } from '../workloads/measurement.ts';
import { median, summarizeRounds } from './bench-summary.ts';

const run = (name: BenchName, rps: number, p99Ms = 10): Measurement => ({
  name,
  rps,
  p50Ms: 1,
  p99Ms,
  requests: rps * 5,
  durationMs: 5000,
});

const round = (...runs: Measurement[]) => new Map(runs.map((m) => [m.name as BenchName, m]));

describe('summarizeRounds', () => {
  it('takes each ratio within its round, so a slow minute of the machine cancels out', () => {
    // The machine halves its speed in round 2: both benchmarks slow down alike.
    const rounds = [
      round(run('express-echo', 6000), run('recharge', 3000)),
      round(run('express-echo', 3000), run('recharge', 1500)),
      round(run('express-echo', 6000), run('recharge', 3600)),
    ];
    const [express, recharge] = summarizeRounds(rounds, ['express-echo', 'recharge']);
    expect(express?.rps).toBe(6000);
    expect(recharge?.rps).toBe(3000);
    expect(recharge?.rpsMin).toBe(1500);
    expect(recharge?.vsExpressEcho).toEqual({ median: 0.5, min: 0.5, max: 0.6 });
    expect(recharge?.vsNodeEcho).toBeUndefined();
  });

  it('reports the median p99 over the rounds, not the worst', () => {
    const rounds = [5, 7, 900].map((p99) => round(run('recharge', 100, p99)));
    expect(summarizeRounds(rounds, ['recharge'])[0]?.p99Ms).toBe(7);
  });

  it('leaves out a benchmark no round ran', () => {
    expect(summarizeRounds([round(run('recharge', 1))], ['express-echo', 'recharge'])).toHaveLength(
      1,
    );
  });
});

describe('median', () => {
  it('averages the middle two of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([3])).toBe(3);
  });
});
