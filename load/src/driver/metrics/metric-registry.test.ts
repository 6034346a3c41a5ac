import { describe, expect, it } from 'vitest';
import { MetricRegistry, ThresholdConfigError } from './metric-registry.ts';

describe('MetricRegistry', () => {
  it('judges a threshold on a sub-metric by the values whose tags match', () => {
    const metrics = new MetricRegistry();
    const duration = metrics.trend('recharge_duration', true);
    metrics.addThreshold({
      metric: 'recharge_duration{api_style:idempotent}',
      expression: 'p(99)<100',
    });
    metrics.addThreshold({
      metric: 'recharge_duration{api_style:reference}',
      expression: 'p(99)<100',
    });
    for (let i = 0; i < 100; i++) duration.add(20, { api_style: 'idempotent', outcome: 'ok' });
    duration.add(6000, { api_style: 'reference', outcome: 'ok' });

    const verdicts = metrics.evaluate(1000);
    expect(verdicts.map((v) => [v.metric, v.ok])).toEqual([
      ['recharge_duration{api_style:idempotent}', true],
      ['recharge_duration{api_style:reference}', false],
    ]);
    // The parent holds every value; k6's p(99) of 101 values is the 100th of them.
    const parent = metrics.summary(1000, ['p(99)', 'max']).metrics.recharge_duration?.values;
    expect(parent).toMatchObject({ 'p(99)': 20, max: 6000 });
  });

  it('counts, rates and gauges as k6 does', () => {
    const metrics = new MetricRegistry();
    const counter = metrics.counter('duplicate_charges');
    const rate = metrics.rate('topup_unknown');
    const gauge = metrics.gauge('vus');
    counter.add(2);
    counter.add(1);
    rate.add(true);
    rate.add(false);
    rate.add(0);
    rate.add(1);
    gauge.add(5);
    gauge.add(3);
    const { metrics: summary } = metrics.summary(2000, []);
    expect(summary.duplicate_charges?.values).toEqual({ count: 3, rate: 1.5 });
    expect(summary.topup_unknown?.values).toEqual({ rate: 0.5, passes: 2, fails: 2 });
    expect(summary.vus?.values).toEqual({ value: 3, min: 3, max: 5 });
  });

  it('keeps percentiles within 0.1 % of the exact ones, in microsecond resolution', () => {
    const metrics = new MetricRegistry();
    const trend = metrics.trend('http_req_duration', true);
    const values = Array.from({ length: 10_000 }, (_, i) => 0.5 + ((i * 7919) % 10_000) / 10);
    for (const value of values) trend.add(value);
    const sorted = [...values].sort((a, b) => a - b);
    for (const p of [50, 90, 95, 99, 99.9]) {
      const exact = sorted[Math.ceil((p / 100) * sorted.length) - 1] ?? 0;
      expect(Math.abs(trend.percentile(p) - exact) / exact, `p(${p})`).toBeLessThan(0.001);
    }
    expect(trend.statistic('min')).toBe(0.5);
    expect(trend.statistic('max')).toBe(Math.max(...values));
  });

  it('reports an empty trend as zeros with no samples, as k6 does', () => {
    const metrics = new MetricRegistry();
    metrics.trend('recharge_duration', true);
    metrics.addThreshold({ metric: 'recharge_duration', expression: 'p(99)<10' });
    expect(metrics.evaluate(1000)[0]).toMatchObject({ ok: true, actual: 0 });
    expect(metrics.summary(1000, ['avg']).metrics.recharge_duration?.values).toMatchObject({
      count: 0,
      avg: 0,
    });
  });

  it('refuses a threshold on an unknown metric or with a statistic its type lacks', () => {
    const metrics = new MetricRegistry();
    metrics.counter('lost_topups');
    expect(() => metrics.addThreshold({ metric: 'lost_topup', expression: 'count==0' })).toThrow(
      ThresholdConfigError,
    );
    expect(() => metrics.addThreshold({ metric: 'lost_topups', expression: 'p(99)<1' })).toThrow(
      /a counter metric has count, rate/,
    );
  });

  it('marks a threshold that is not enforced in the summary, and keeps its verdict', () => {
    const metrics = new MetricRegistry();
    metrics.rate('http_req_failed').add(true);
    metrics.addThreshold({ metric: 'http_req_failed', expression: 'rate<0.01', enforced: false });
    expect(metrics.summary(1000, []).metrics.http_req_failed?.thresholds).toEqual({
      'rate<0.01': { ok: false, enforced: false },
    });
  });
});
