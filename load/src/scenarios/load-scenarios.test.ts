import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.ts';
import { loadOptions } from './k6-options.ts';
import { loadScenarioNames, planScenario } from './load-scenarios.ts';
import { k6Thresholds } from './recharge-thresholds.ts';

describe('planScenario', () => {
  it('runs steady, flaky and soak at a constant arrival rate and spike at a ramping one', () => {
    expect(planScenario('steady').executor.executor).toBe('constant-arrival-rate');
    expect(planScenario('flaky').executor.executor).toBe('constant-arrival-rate');
    expect(planScenario('soak').executor).toMatchObject({ duration: '30m' });
    expect(planScenario('spike').executor.executor).toBe('ramping-arrival-rate');
  });

  it('arms flaky-mobile for the flaky scenario only', () => {
    expect(planScenario('flaky').faults).toEqual({ preset: 'flaky-mobile' });
    for (const name of ['steady', 'spike', 'soak'] as const) {
      expect(planScenario(name).faults).toBeUndefined();
    }
  });

  it('applies the rate, duration and VUs given, over the defaults', () => {
    expect(planScenario('steady', { rate: 7, durationMs: 90_000, vus: 11 }).executor).toMatchObject(
      {
        rate: 7,
        duration: '1m30s',
        maxVUs: 11,
        preAllocatedVUs: 7,
      },
    );
  });

  it('spreads a spike over exactly the duration, peaking at five times the rate', () => {
    const spike = planScenario('spike', { rate: 4, durationMs: 17_000 }).executor;
    if (spike.executor !== 'ramping-arrival-rate') throw new Error('spike ramps');
    const total = spike.stages.reduce((sum, s) => {
      const parsed = parseDuration(s.duration);
      return sum + (parsed.ok ? parsed.ms : Number.NaN);
    }, 0);
    expect(total).toBe(17_000);
    expect(Math.max(...spike.stages.map((s) => s.target))).toBe(20);
    expect(spike.startRate).toBe(4);
  });

  it('guards money in every scenario: no duplicate, no lost top-up, a clean audit', () => {
    for (const name of loadScenarioNames) {
      const correctness = planScenario(name).thresholds.filter((t) => t.kind === 'correctness');
      expect(correctness.map((t) => `${t.metric} ${t.expression}`)).toEqual([
        'duplicate_charges count==0',
        'lost_topups count==0',
        'audit_violations count==0',
      ]);
    }
  });
});

describe('k6Thresholds', () => {
  it('enforces only the correctness thresholds when budgets are not enforced, watching the rest', () => {
    const rules = planScenario('flaky').thresholds;
    // A watch always holds: it keeps the budget's statistic in k6's end-of-test data.
    expect(k6Thresholds(rules, 'correctness')).toEqual({
      duplicate_charges: ['count==0'],
      lost_topups: ['count==0'],
      audit_violations: ['count==0'],
      topup_unknown: ['rate>=0'],
      http_req_failed: ['rate>=0'],
      'recharge_duration{api_style:idempotent}': ['p(99)>=0'],
      'recharge_duration{api_style:reference}': ['p(99)>=0'],
      'recharge_duration{api_style:async}': ['p(99)>=0'],
    });
    const all = k6Thresholds(rules, 'all');
    expect(all.http_req_failed).toEqual(['rate<0.15']);
    expect(all['recharge_duration{api_style:reference}']).toEqual(['p(99)<12000']);
  });
});

describe('loadOptions', () => {
  it('names the k6 scenario after the plan and asks for p(99) and count in the summary', () => {
    const options = loadOptions(planScenario('steady'), 'all');
    expect(Object.keys(options.scenarios)).toEqual(['steady']);
    expect(options.summaryTrendStats).toEqual(expect.arrayContaining(['p(99)', 'count']));
  });

  it('gives teardown time to ask every replica for the audit in turn', () => {
    // The audit's 300 s and the fault reset's 10 s, per replica, and 30 s besides.
    expect(loadOptions(planScenario('steady'), 'all').teardownTimeout).toBe('340s');
    expect(loadOptions(planScenario('steady'), 'all', 3).teardownTimeout).toBe('960s');
  });
});
