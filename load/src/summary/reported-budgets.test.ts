import { describe, expect, it } from 'vitest';
import { planScenario } from '../scenarios/load-scenarios.ts';
import { k6Thresholds } from '../scenarios/recharge-thresholds.ts';
import { junitReport } from './junit-report.ts';
import { withReportedBudgets } from './reported-budgets.ts';
import type { MetricSummary, SummaryData } from './summary-data.ts';
import { textSummary } from './text-summary.ts';

const rules = planScenario('steady').thresholds;

/** k6's end-of-test data for a run with ENFORCE=correctness: every watch held. */
function k6Data(values: Readonly<Record<string, Readonly<Record<string, number>>>>): SummaryData {
  const types: Record<string, MetricSummary['type']> = {
    duplicate_charges: 'counter',
    lost_topups: 'counter',
    audit_violations: 'counter',
    topup_unknown: 'rate',
    http_req_failed: 'rate',
  };
  const metrics: Record<string, MetricSummary> = {};
  for (const [metric, expressions] of Object.entries(k6Thresholds(rules, 'correctness'))) {
    const type = types[metric] ?? 'trend';
    metrics[metric] = {
      type,
      contains: type === 'trend' ? 'time' : 'default',
      values: values[metric] ?? (type === 'counter' ? { count: 0, rate: 0 } : { rate: 0 }),
      thresholds: Object.fromEntries(expressions.map((e) => [e, { ok: true }])),
    };
  }
  return { metrics, state: { testRunDurationMs: 30_000 } };
}

describe('withReportedBudgets', () => {
  const data = k6Data({
    http_req_failed: { rate: 0.02, passes: 2, fails: 98 },
    'recharge_duration{api_style:idempotent}': { count: 40, 'p(99)': 1250, avg: 300 },
    'recharge_duration{api_style:reference}': { count: 0, 'p(99)': 0, avg: 0 },
    'recharge_duration{api_style:async}': { count: 0, 'p(99)': 0, avg: 0 },
  });
  const judged = withReportedBudgets(data, rules, 'correctness');

  it('replaces each watch with its budget, judged on the values k6 reported, not enforced', () => {
    expect(judged.metrics.http_req_failed?.thresholds).toEqual({
      'rate<0.01': { ok: false, enforced: false },
    });
    expect(judged.metrics['recharge_duration{api_style:idempotent}']?.thresholds).toEqual({
      'p(99)<1000': { ok: false, enforced: false },
    });
    expect(judged.metrics.topup_unknown?.thresholds).toEqual({
      'rate<0.01': { ok: true, enforced: false },
    });
    // A style the carrier does not speak has no samples: its budget holds, as in k6.
    expect(judged.metrics['recharge_duration{api_style:async}']?.thresholds).toEqual({
      'p(99)<4000': { ok: true, enforced: false },
    });
  });

  it('keeps the enforced thresholds as k6 judged them', () => {
    expect(judged.metrics.duplicate_charges?.thresholds).toEqual({ 'count==0': { ok: true } });
    expect(judged.metrics.lost_topups).toEqual(data.metrics.lost_topups);
  });

  it('leaves the data alone when every threshold is enforced', () => {
    expect(withReportedBudgets(data, rules, 'all')).toEqual(data);
  });

  it('shows the crossed budgets as reported in the summary and skipped in JUnit', () => {
    const text = textSummary(judged);
    expect(text).toContain("✗ 'p(99)<1000' p(99)=1.25s (reported, not enforced)");
    expect(text).toContain('every enforced threshold held');
    expect(text).not.toContain('>=0');
    const xml = junitReport(judged, 'k6 recharge steady');
    expect(xml).toContain('failures="0" skipped="2"');
  });
});
