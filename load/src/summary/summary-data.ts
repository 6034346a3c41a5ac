// Engine-neutral (see flow/load-runtime.ts).
import type { MetricType } from '../thresholds/threshold-expression.ts';

export interface ThresholdResult {
  readonly ok: boolean;
  /**
   * False for a threshold reported but not enforced (a latency budget in CI). k6 only knows
   * enforced ones, so it never sets this.
   */
  readonly enforced?: boolean;
}

/** One metric in k6's end-of-test data (what `handleSummary(data)` receives). */
export interface MetricSummary {
  readonly type: MetricType;
  /** `time`: values are milliseconds. */
  readonly contains: 'default' | 'time' | 'data';
  /**
   * counter: count, rate (per second); rate: rate, passes, fails; gauge: value, min, max;
   * trend: avg, min, med, max and the percentiles of `summaryTrendStats`, e.g. `p(99)`.
   */
  readonly values: Readonly<Record<string, number>>;
  readonly thresholds?: Readonly<Record<string, ThresholdResult>>;
}

/**
 * The end-of-test data, in the shape k6 passes to `handleSummary` (the fields both engines
 * fill), so one text summary and one JUnit writer serve both.
 */
export interface SummaryData {
  /** Keyed by metric name, or `name{tag:value}` for a sub-metric with thresholds. */
  readonly metrics: Readonly<Record<string, MetricSummary>>;
  readonly state: {
    readonly testRunDurationMs: number;
    readonly isStdOutTTY?: boolean;
    /**
     * What keeps the run from passing besides its thresholds: stopped early, iterations that
     * failed to run, a teardown that failed. The Node driver's alone; k6 fails such a run by its
     * exit code.
     */
    readonly problems?: readonly string[];
  };
  readonly options?: { readonly summaryTrendStats?: readonly string[] };
}

/** Every threshold in the data, in metric order: the verdicts a run is judged by. */
export function thresholdResults(data: SummaryData): {
  readonly metric: string;
  readonly expression: string;
  readonly ok: boolean;
  readonly enforced: boolean;
}[] {
  return Object.keys(data.metrics)
    .sort()
    .flatMap((metric) =>
      Object.entries(data.metrics[metric]?.thresholds ?? {}).map(([expression, result]) => ({
        metric,
        expression,
        ok: result.ok,
        enforced: result.enforced !== false,
      })),
    );
}
