import type { RechargeRun } from '../internal/carrier-window.ts';
import { describeMainThread } from '../internal/main-thread-time.ts';
import type { BenchSummary, Ratio } from './bench-summary.ts';

/** A benchmark target, judged on this run's figures. */
export interface TargetVerdict {
  readonly target: string;
  readonly status: 'met' | 'missed' | 'not measured';
  readonly actual: string;
}

export interface MemoryFigures {
  readonly topups: number;
  readonly goalTopups: number;
  /** Over the whole run, the audits that end each recharge run included. */
  readonly maxRssBytes: number;
  /** The RSS at every tenth of the goal: flat, or growing with the top-ups taken. */
  readonly atMarksBytes: readonly number[];
}

const RECHARGE_VS_EXPRESS = 0.5;
const FIXED_P99_MS = 10;
/** The rate the fixed-rate target is judged at; `--fixed-rate` may run the benchmark at another. */
export const TARGET_FIXED_RATE = 1000;
const MAX_RSS_BYTES = 300 * 1024 * 1024;
const DRIVER_VS_AUTOCANNON = 0.8;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const spread = (r: Ratio) =>
  `${r.median.toFixed(2)}× (rounds ${r.min.toFixed(2)}-${r.max.toFixed(2)})`;

/**
 * What to run on a machine whose carrier cannot take the target rate at all: the rate it took
 * at saturation in this run, and `--fixed-rate` at about half of it, where the latency is not
 * only the queue's.
 */
function slowerRateHint(saturationRps: number | undefined): string {
  if (saturationRps === undefined || saturationRps >= TARGET_FIXED_RATE) return '';
  const halfway = Math.max(50, Math.round(saturationRps / 2 / 50) * 50);
  return `: it took ${saturationRps.toFixed(0)} top-ups/s at saturation here; --fixed-rate ${halfway} measures its latency at a rate it can hold`;
}

/** Judges the run against the targets; a benchmark left out is `not measured`. */
export function judgeTargets(input: {
  readonly summaries: readonly BenchSummary[];
  readonly fixed: RechargeRun | undefined;
  readonly fixedRate: number;
  readonly memory: MemoryFigures | undefined;
  readonly driverVsAutocannon: Ratio | undefined;
}): TargetVerdict[] {
  const saturated = input.summaries.find((s) => s.name === 'recharge');
  const recharge = saturated?.vsExpressEcho;
  const { fixed, memory, driverVsAutocannon } = input;
  const fixedHeld = fixed !== undefined && fixed.dropped === 0 && fixed.outcomes.unknown === 0;
  // What the latency at a fixed rate mostly follows: how much of the time the thread was taken.
  const busyNote =
    fixed?.carrierMainThread === undefined
      ? ''
      : `; the carrier's ${describeMainThread(fixed.carrierMainThread)}`;
  return [
    {
      target: `recharge at saturation ≥ ${RECHARGE_VS_EXPRESS}× the Express echo's requests/s`,
      ...(recharge === undefined
        ? { status: 'not measured', actual: '-' }
        : {
            status: recharge.median >= RECHARGE_VS_EXPRESS ? 'met' : 'missed',
            actual: spread(recharge),
          }),
    },
    {
      target: `recharge at a fixed ${TARGET_FIXED_RATE} top-ups/s: p99 < ${FIXED_P99_MS} ms`,
      ...(fixed === undefined
        ? { status: 'not measured', actual: '-' }
        : input.fixedRate !== TARGET_FIXED_RATE
          ? {
              status: 'not measured',
              actual: `run at ${input.fixedRate} top-ups/s instead (--fixed-rate): p99 ${fixed.p99Ms.toFixed(2)} ms, p50 ${fixed.p50Ms.toFixed(2)} ms${fixed.dropped > 0 ? `, ${fixed.dropped} iterations dropped` : ''}${busyNote}`,
            }
          : {
              status: fixedHeld && fixed.p99Ms < FIXED_P99_MS ? 'met' : 'missed',
              actual: `p99 ${fixed.p99Ms.toFixed(2)} ms at ${fixed.topupsPerSecond.toFixed(0)} top-ups/s${fixed.dropped > 0 ? `, ${fixed.dropped} iterations dropped (the carrier fell behind the rate${slowerRateHint(saturated?.rps)})` : ''}${busyNote}`,
            }),
    },
    {
      target: `carrier RSS < ${mb(MAX_RSS_BYTES)} over ${memory?.goalTopups.toLocaleString('en-US') ?? '100,000'} top-ups`,
      ...(memory === undefined
        ? { status: 'not measured', actual: '-' }
        : {
            status:
              memory.topups < memory.goalTopups
                ? 'not measured'
                : memory.maxRssBytes < MAX_RSS_BYTES
                  ? 'met'
                  : 'missed',
            actual: `max ${mb(memory.maxRssBytes)} over ${memory.topups.toLocaleString('en-US')} top-ups; ${mb(Math.min(...memory.atMarksBytes))}-${mb(Math.max(...memory.atMarksBytes))} at every tenth of them`,
          }),
    },
    {
      target: `driver ≥ ${DRIVER_VS_AUTOCANNON}× autocannon's requests/s on the node:http echo`,
      ...(driverVsAutocannon === undefined
        ? { status: 'not measured', actual: '-' }
        : {
            status: driverVsAutocannon.median >= DRIVER_VS_AUTOCANNON ? 'met' : 'missed',
            actual: spread(driverVsAutocannon).replace('rounds', 'pairs'),
          }),
    },
  ];
}
