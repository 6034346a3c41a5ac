import type { MetricSummary, SummaryData, ThresholdResult } from '../../summary/summary-data.ts';
import {
  parseMetricSelector,
  parseThreshold,
  type ThresholdExpression,
  thresholdHolds,
} from '../../thresholds/threshold-expression.ts';
import { Counter, Gauge, type Metric, Rate, Trend } from './metric.ts';

/** A threshold to judge the run by: k6's key and expression, and whether it fails the run. */
export interface ThresholdSpec {
  /** A metric, or `name{tag:value,…}` for a sub-metric. */
  readonly metric: string;
  readonly expression: string;
  /** Default true. False: evaluated and reported, but it never fails the run. */
  readonly enforced?: boolean;
}

export interface ThresholdVerdict {
  readonly metric: string;
  readonly expression: string;
  readonly enforced: boolean;
  readonly ok: boolean;
  /** The statistic's value at the end of the run. */
  readonly actual: number;
}

/** A threshold that names no metric or does not parse: the message says which and why. */
export class ThresholdConfigError extends Error {
  readonly code = 'invalid_threshold';
}

interface Registered {
  readonly spec: ThresholdSpec;
  readonly metric: Metric;
  readonly expression: ThresholdExpression;
}

/** The metrics of one run, by name, and the thresholds on them. */
export class MetricRegistry {
  readonly #metrics = new Map<string, Metric>();
  readonly #thresholds: Registered[] = [];

  counter(name: string): Counter {
    return this.#define(name, Counter, () => new Counter(name));
  }

  rate(name: string): Rate {
    return this.#define(name, Rate, () => new Rate(name));
  }

  gauge(name: string): Gauge {
    return this.#define(name, Gauge, () => new Gauge(name));
  }

  /** `isTime`: values are milliseconds (printed as durations). */
  trend(name: string, isTime = false): Trend {
    return this.#define(name, Trend, () => new Trend(name, isTime ? 'time' : 'default'));
  }

  get(name: string): Metric | undefined {
    return this.#metrics.get(name);
  }

  /**
   * Adds a threshold, creating the sub-metric it names. Like k6, refuses one on a metric
   * that does not exist yet or with a statistic the metric's type lacks.
   */
  addThreshold(spec: ThresholdSpec): void {
    const selector = parseMetricSelector(spec.metric);
    const parent = selector === undefined ? undefined : this.#metrics.get(selector.metric);
    if (selector === undefined || parent === undefined) {
      throw new ThresholdConfigError(
        `threshold on "${spec.metric}": no such metric (known: ${[...this.#metrics.keys()].sort().join(', ')})`,
      );
    }
    const parsed = parseThreshold(spec.expression, parent.type);
    if (!parsed.ok) throw new ThresholdConfigError(`${spec.metric}: ${parsed.message}`);
    const metric =
      Object.keys(selector.tags).length === 0 ? parent : parent.submetric(selector.tags);
    this.#thresholds.push({ spec, metric, expression: parsed.expression });
  }

  /** Every threshold's verdict at this moment. */
  evaluate(runDurationMs: number): ThresholdVerdict[] {
    return this.#thresholds.map(({ spec, metric, expression }) => {
      const actual = metric.statistic(expression.statistic, runDurationMs) ?? 0;
      return {
        metric: spec.metric,
        expression: spec.expression,
        enforced: spec.enforced !== false,
        ok: thresholdHolds(expression, actual),
        actual,
      };
    });
  }

  /** k6's end-of-test data: every metric, sub-metrics with thresholds, and the verdicts. */
  summary(
    runDurationMs: number,
    trendStats: readonly string[],
    verdicts: readonly ThresholdVerdict[] = this.evaluate(runDurationMs),
  ): SummaryData {
    const metrics: Record<string, MetricSummary> = {};
    const entries = new Map<string, Metric>(this.#metrics);
    for (const { spec, metric } of this.#thresholds) entries.set(spec.metric, metric);
    for (const [key, metric] of entries) {
      const own = this.#thresholds.filter((t) => t.spec.metric === key);
      const thresholds: Record<string, ThresholdResult> = {};
      for (const verdict of verdicts.filter((v) => v.metric === key)) {
        thresholds[verdict.expression] = verdict.enforced
          ? { ok: verdict.ok }
          : { ok: verdict.ok, enforced: false };
      }
      metrics[key] = {
        ...metric.summary(
          runDurationMs,
          trendStats,
          own.map((t) => t.expression.statistic),
        ),
        ...(own.length === 0 ? {} : { thresholds }),
      };
    }
    return {
      metrics,
      state: { testRunDurationMs: runDurationMs },
      options: { summaryTrendStats: [...trendStats] },
    };
  }

  #define<M extends Metric>(name: string, type: new (...args: never[]) => M, create: () => M): M {
    const existing = this.#metrics.get(name);
    if (existing !== undefined) {
      if (existing instanceof type) return existing;
      throw new TypeError(`metric ${name} is a ${existing.type}, not a ${create().type}`);
    }
    const metric = create();
    this.#metrics.set(name, metric);
    return metric;
  }
}
