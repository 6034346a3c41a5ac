import type { BenchName, FixedRateBenchName } from '../bench-settings.ts';
import type { Measurement } from '../workloads/measurement.ts';

/** One benchmark over its rounds: medians, and the spread of requests per second. */
export interface BenchSummary {
  /** The fixed-rate run is named by its rate. */
  readonly name: BenchName | FixedRateBenchName;
  readonly rounds: number;
  readonly rps: number;
  readonly rpsMin: number;
  readonly rpsMax: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Median over rounds of rps / rps of (1) and of (2) in the same round. */
  readonly vsNodeEcho?: Ratio;
  readonly vsExpressEcho?: Ratio;
}

export interface Ratio {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

export function ratioOf(values: readonly number[]): Ratio | undefined {
  if (values.length === 0) return undefined;
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/**
 * Medians of each benchmark's rounds, and its ratios to the echoes: each round's ratio is
 * taken within the round (the same minute of the machine), then the median of those.
 */
export function summarizeRounds(
  rounds: readonly ReadonlyMap<BenchName, Measurement>[],
  names: readonly BenchName[],
): BenchSummary[] {
  return names.flatMap((name) => {
    const own = rounds.flatMap((round) => {
      const m = round.get(name);
      return m ? [{ m, round }] : [];
    });
    if (own.length === 0) return [];
    const rps = own.map(({ m }) => m.rps);
    const against = (other: BenchName) =>
      ratioOf(
        own.flatMap(({ m, round }) => {
          const base = round.get(other);
          return base && base.rps > 0 ? [m.rps / base.rps] : [];
        }),
      );
    const vsNodeEcho = against('node-http-echo');
    const vsExpressEcho = against('express-echo');
    return [
      {
        name,
        rounds: own.length,
        rps: median(rps),
        rpsMin: Math.min(...rps),
        rpsMax: Math.max(...rps),
        p50Ms: median(own.map(({ m }) => m.p50Ms)),
        p99Ms: median(own.map(({ m }) => m.p99Ms)),
        ...(vsNodeEcho ? { vsNodeEcho } : {}),
        ...(vsExpressEcho ? { vsExpressEcho } : {}),
      },
    ];
  });
}
