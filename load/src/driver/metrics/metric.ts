import type { MetricSink } from '../../flow/recharge-metrics.ts';
import type { MetricSummary } from '../../summary/summary-data.ts';
import type { MetricType } from '../../thresholds/threshold-expression.ts';
import { HdrTrendSink } from './internal/hdr-trend-sink.ts';

export type Tags = { readonly [name: string]: string };

type SummaryCore = Pick<MetricSummary, 'type' | 'contains' | 'values'>;

/**
 * A metric as k6 has them: a counter (sums), a rate (share of non-zero values), a gauge
 * (last value) or a trend (a distribution). A sub-metric (`name{tag:value}`) receives the
 * parent's values whose tags match; it exists only when a threshold names it.
 */
export abstract class Metric implements MetricSink {
  readonly name: string;
  abstract readonly type: MetricType;
  readonly contains: 'default' | 'time';
  readonly #submetrics: { readonly tags: Tags; readonly metric: Metric }[] = [];

  constructor(name: string, contains: 'default' | 'time' = 'default') {
    this.name = name;
    this.contains = contains;
  }

  add(value: number | boolean, tags?: Tags): void {
    const n = typeof value === 'boolean' ? (value ? 1 : 0) : value;
    this.record(n);
    if (tags === undefined || this.#submetrics.length === 0) return;
    for (const sub of this.#submetrics) {
      if (matches(sub.tags, tags)) sub.metric.record(n);
    }
  }

  /** Whether a value's tags matter (some sub-metric filters on them). */
  get hasSubmetrics(): boolean {
    return this.#submetrics.length > 0;
  }

  /** The sub-metric for `tags`, created on first use. */
  submetric(tags: Tags): Metric {
    const found = this.#submetrics.find((s) => sameTags(s.tags, tags));
    if (found) return found.metric;
    const metric = this.emptyCopy(
      `${this.name}{${Object.entries(tags)
        .map(([k, v]) => `${k}:${v}`)
        .join(',')}}`,
    );
    this.#submetrics.push({ tags, metric });
    return metric;
  }

  /**
   * The statistic a threshold reads (`count`, `rate`, `value`, `avg`, `min`, `max`, `med`,
   * `p(N)`), or undefined if this type has no such statistic.
   */
  abstract statistic(name: string, runDurationMs: number): number | undefined;

  /** k6's summary of this metric, with `extraStatistics` (the ones thresholds read) included. */
  abstract summary(
    runDurationMs: number,
    trendStats: readonly string[],
    extraStatistics: readonly string[],
  ): SummaryCore;

  protected abstract record(value: number): void;
  protected abstract emptyCopy(name: string): Metric;
}

export class Counter extends Metric {
  readonly type = 'counter' as const;
  #count = 0;

  get count(): number {
    return this.#count;
  }

  protected record(value: number): void {
    this.#count += value;
  }

  protected emptyCopy(name: string): Metric {
    return new Counter(name, this.contains);
  }

  statistic(name: string, runDurationMs: number): number | undefined {
    if (name === 'count') return this.#count;
    if (name === 'rate') return perSecond(this.#count, runDurationMs);
    return undefined;
  }

  summary(runDurationMs: number): SummaryCore {
    return {
      type: this.type,
      contains: this.contains,
      values: { count: this.#count, rate: perSecond(this.#count, runDurationMs) },
    };
  }
}

export class Rate extends Metric {
  readonly type = 'rate' as const;
  #passes = 0;
  #total = 0;

  get rate(): number {
    return this.#total === 0 ? 0 : this.#passes / this.#total;
  }

  protected record(value: number): void {
    this.#total += 1;
    if (value !== 0) this.#passes += 1;
  }

  protected emptyCopy(name: string): Metric {
    return new Rate(name, this.contains);
  }

  statistic(name: string): number | undefined {
    return name === 'rate' ? this.rate : undefined;
  }

  summary(): SummaryCore {
    return {
      type: this.type,
      contains: this.contains,
      values: { rate: this.rate, passes: this.#passes, fails: this.#total - this.#passes },
    };
  }
}

export class Gauge extends Metric {
  readonly type = 'gauge' as const;
  #value = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = Number.NEGATIVE_INFINITY;

  get value(): number {
    return this.#value;
  }

  protected record(value: number): void {
    this.#value = value;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
  }

  protected emptyCopy(name: string): Metric {
    return new Gauge(name, this.contains);
  }

  // A gauge's thresholds name its `value` alone, as k6's do.
  statistic(name: string): number | undefined {
    return name === 'value' ? this.#value : undefined;
  }

  summary(): SummaryCore {
    return {
      type: this.type,
      contains: this.contains,
      values: {
        value: this.#value,
        min: Number.isFinite(this.#min) ? this.#min : 0,
        max: Number.isFinite(this.#max) ? this.#max : 0,
      },
    };
  }
}

export class Trend extends Metric {
  readonly type = 'trend' as const;
  readonly #sink = new HdrTrendSink();

  get count(): number {
    return this.#sink.count;
  }

  /** The value at `percentile` (0-100); 0 for an empty trend. */
  percentile(percentile: number): number {
    return this.#sink.percentile(percentile);
  }

  protected record(value: number): void {
    this.#sink.add(value);
  }

  protected emptyCopy(name: string): Metric {
    return new Trend(name, this.contains);
  }

  statistic(name: string): number | undefined {
    switch (name) {
      case 'avg':
        return this.#sink.avg;
      case 'min':
        return this.#sink.min;
      case 'max':
        return this.#sink.max;
      case 'med':
        return this.#sink.percentile(50);
      default: {
        const percentile = /^p\((\d+(?:\.\d+)?)\)$/.exec(name)?.[1];
        return percentile === undefined ? undefined : this.#sink.percentile(Number(percentile));
      }
    }
  }

  summary(
    _runDurationMs: number,
    trendStats: readonly string[],
    extra: readonly string[],
  ): SummaryCore {
    // `count` is not in k6's trend values; the text summary uses it to say "no samples".
    const values: Record<string, number> = { count: this.#sink.count };
    for (const stat of [...trendStats, ...extra]) {
      const value = this.statistic(stat);
      if (value !== undefined) values[stat] = value;
    }
    return { type: this.type, contains: this.contains, values };
  }
}

const perSecond = (count: number, runDurationMs: number) =>
  runDurationMs <= 0 ? 0 : count / (runDurationMs / 1000);

function matches(filter: Tags, tags: Tags): boolean {
  for (const key in filter) if (tags[key] !== filter[key]) return false;
  return true;
}

function sameTags(a: Tags, b: Tags): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
