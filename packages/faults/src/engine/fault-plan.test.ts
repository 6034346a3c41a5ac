import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { FaultRule, FaultRuleInput } from '../rules/fault-rule.ts';
import { parseFaultRules } from '../rules/parse-fault-rules.ts';
import { FaultPlan, type FaultRequest } from './fault-plan.ts';

function rules(...inputs: FaultRuleInput[]): FaultRule[] {
  const parsed = parseFaultRules(inputs);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return parsed.value;
}

const get = (path: string, headers: FaultRequest['headers'] = {}): FaultRequest => ({
  method: 'GET',
  path,
  headers,
});
const post = (path: string): FaultRequest => ({ method: 'POST', path, headers: {} });

describe('FaultPlan.decide', () => {
  it('adds up every latency rule that fires, then applies the first terminal one', () => {
    const plan = new FaultPlan({
      seed: 1,
      rules: rules(
        { kind: 'latency', params: { ms: 30 } },
        { kind: 'error', params: { status: 503 } },
        { kind: 'latency', params: { ms: 50 } },
        { kind: 'timeout' },
      ),
    });
    const decision = plan.decide(get('/v1/plans'));
    expect(decision.latencyMs).toBe(30);
    expect(decision.terminal).toMatchObject({ id: 'f2', kind: 'error' });
    expect(decision.ruleIds).toEqual(['f1', 'f2']);
    // Rules after the terminal one were not even considered.
    expect(plan.list().map((r) => r.counters)).toEqual([
      { matched: 1, hits: 1 },
      { matched: 1, hits: 1 },
      { matched: 0, hits: 0 },
      { matched: 0, hits: 0 },
    ]);
  });

  it('sums latency from several rules when no terminal rule fires', () => {
    const plan = new FaultPlan({
      seed: 1,
      rules: rules(
        { kind: 'latency', params: { ms: 30 } },
        { kind: 'latency', params: { ms: 12 } },
      ),
    });
    expect(plan.decide(get('/v1/plans'))).toEqual({ latencyMs: 42, ruleIds: ['f1', 'f2'] });
  });

  it('falls through a rule whose probability roll fails to the next one', () => {
    const plan = new FaultPlan({
      seed: 7,
      rules: rules(
        { kind: 'reset-before', probability: 0 },
        { kind: 'error', params: { status: 500 } },
      ),
    });
    expect(plan.decide(get('/v1/plans')).terminal?.kind).toBe('error');
    expect(plan.list()[0]?.counters).toEqual({ matched: 1, hits: 0 });
  });

  it('fires a rule with probability p on about p of the requests', () => {
    const plan = new FaultPlan({ seed: 3, rules: rules({ kind: 'timeout', probability: 0.3 }) });
    let fired = 0;
    for (let i = 0; i < 4000; i++) if (plan.decide(get('/v1/plans')).terminal) fired++;
    expect(fired / 4000).toBeGreaterThan(0.27);
    expect(fired / 4000).toBeLessThan(0.33);
  });

  it('skips the first `after` matches and stops after `times` hits', () => {
    const plan = new FaultPlan({
      seed: 1,
      rules: rules({ kind: 'error', after: 2, times: 3, params: { status: 500 } }),
    });
    const fired = Array.from(
      { length: 8 },
      () => plan.decide(get('/v1/plans')).terminal !== undefined,
    );
    expect(fired).toEqual([false, false, true, true, true, false, false, false]);
    expect(plan.list()[0]?.counters).toEqual({ matched: 8, hits: 3 });
  });

  it('matches on method, path glob and header, and counts only requests that match', () => {
    const plan = new FaultPlan({
      seed: 1,
      rules: rules({
        kind: 'error',
        match: {
          method: 'post',
          path: '/v1/esims/*/topups',
          header: { name: 'X-Client', value: 'app' },
        },
        params: { status: 502 },
      }),
    });
    const topup = (headers: FaultRequest['headers'], method = 'POST') =>
      plan.decide({ method, path: '/v1/esims/8901/topups', headers }).terminal?.kind;
    expect(topup({ 'x-client': 'app' })).toBe('error');
    expect(topup({ 'x-client': 'web' })).toBeUndefined();
    expect(topup({})).toBeUndefined();
    expect(topup({ 'x-client': 'app' }, 'GET')).toBeUndefined();
    expect(plan.decide(post('/v1/esims')).terminal).toBeUndefined();
    expect(plan.list()[0]?.counters).toEqual({ matched: 1, hits: 1 });
  });

  it('matches a header by presence when no value is given', () => {
    const plan = new FaultPlan({
      seed: 1,
      rules: rules({ kind: 'timeout', match: { header: { name: 'idempotency-key' } } }),
    });
    expect(plan.decide(get('/v1/plans', { 'idempotency-key': 'k' })).terminal).toBeDefined();
    expect(plan.decide(get('/v1/plans')).terminal).toBeUndefined();
  });

  it('compares paths as express routes them: any case, trailing slash, no query', () => {
    const plan = new FaultPlan({
      seed: 1,
      rules: rules({ kind: 'timeout', match: { path: '/v1/plans' } }),
    });
    for (const path of ['/v1/plans', '/V1/Plans', '/v1/plans/', '/v1/plans?limit=1']) {
      expect(plan.decide(get(path)).terminal, path).toBeDefined();
    }
    expect(plan.decide(get('/v1/plans/x')).terminal).toBeUndefined();
  });

  it('never faults the control plane, /healthz or /metrics, and counts nothing there', () => {
    const plan = new FaultPlan({
      seed: 1,
      rules: rules({ kind: 'error', params: { status: 503 } }),
    });
    for (const path of [
      '/_sim/faults',
      '/_sim',
      '/_SIM/reset',
      '/healthz',
      '/healthz/',
      '/metrics',
    ]) {
      expect(plan.decide(get(path)), path).toEqual({ latencyMs: 0, ruleIds: [] });
    }
    expect(plan.list()[0]?.counters).toEqual({ matched: 0, hits: 0 });
    expect(plan.decide(get('/v1/plans')).terminal).toBeDefined();
  });

  it('takes other excluded paths when told, for a proxy in front of another API', () => {
    const plan = new FaultPlan({
      seed: 1,
      excludedPaths: ['/admin/**'],
      rules: rules({ kind: 'timeout' }),
    });
    expect(plan.decide(get('/admin/x')).terminal).toBeUndefined();
    expect(plan.decide(get('/_sim/faults')).terminal).toBeDefined();
  });

  it('ignores webhook and device rules, which other parts read through rulesFor', () => {
    const plan = new FaultPlan({
      seed: 1,
      rules: rules(
        { kind: 'webhook-drop' },
        { kind: 'weak-signal', params: { eid: '89882119900000000000000000001654', extraMs: 5 } },
        { kind: 'latency', params: { ms: 5 } },
      ),
    });
    expect(plan.decide(get('/v1/plans'))).toEqual({ latencyMs: 5, ruleIds: ['f3'] });
    expect(plan.rulesFor('webhook').map((r) => r.id)).toEqual(['f1']);
    expect(plan.rulesFor('device').map((r) => r.id)).toEqual(['f2']);
    expect(plan.rulesFor('http').map((r) => r.id)).toEqual(['f3']);
  });

  it('draws uniform latency within [min, max] and lognormal latency up to its cap', () => {
    const plan = new FaultPlan({
      seed: 11,
      rules: rules(
        { kind: 'latency', match: { path: '/uniform' }, params: { min: 20, max: 40 } },
        {
          kind: 'latency',
          match: { path: '/lognormal' },
          params: { median: 80, sigma: 1, cap: 300 },
        },
      ),
    });
    const uniform = Array.from({ length: 500 }, () => plan.decide(get('/uniform')).latencyMs);
    expect(Math.min(...uniform)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...uniform)).toBeLessThanOrEqual(40);
    expect(new Set(uniform).size).toBeGreaterThan(10);
    const lognormal = Array.from({ length: 2000 }, () => plan.decide(get('/lognormal')).latencyMs);
    expect(Math.max(...lognormal)).toBe(300);
    const sorted = [...lognormal].sort((a, b) => a - b);
    const median = sorted[1000] ?? 0;
    expect(median).toBeGreaterThan(70);
    expect(median).toBeLessThan(90);
  });
});

describe('FaultPlan.roll', () => {
  it('counts after, times and probability the same way for webhook and device rules', () => {
    const plan = new FaultPlan({
      seed: 1,
      rules: rules({ id: 'drop', kind: 'webhook-drop', after: 1, times: 1 }),
    });
    expect([plan.roll('drop'), plan.roll('drop'), plan.roll('drop')]).toEqual([false, true, false]);
    expect(plan.list()[0]?.counters).toEqual({ matched: 3, hits: 1 });
    expect(plan.roll('no-such-rule')).toBe(false);
  });
});

describe('changing the list', () => {
  it('adds, removes, clears and lists rules with their counters', () => {
    const plan = new FaultPlan({ seed: 1, rules: rules({ id: 'a', kind: 'timeout' }) });
    plan.decide(get('/v1/plans'));
    plan.add(rules({ id: 'b', kind: 'reset-before' })[0] as FaultRule);
    expect(plan.list().map((r) => [r.id, r.counters.matched])).toEqual([
      ['a', 1],
      ['b', 0],
    ]);
    expect(plan.remove('a')).toBe(true);
    expect(plan.remove('a')).toBe(false);
    expect(plan.list().map((r) => r.id)).toEqual(['b']);
    plan.clear();
    expect(plan.list()).toEqual([]);
  });

  it('refuses two rules with one id (a caller that skipped validation)', () => {
    const plan = new FaultPlan({ seed: 1, rules: rules({ id: 'a', kind: 'timeout' }) });
    expect(() => plan.add(rules({ id: 'a', kind: 'timeout' })[0] as FaultRule)).toThrow(/id a/);
  });

  it('starts over from the seed when the list is replaced: same rules, same faults', () => {
    const list = rules({ kind: 'error', probability: 0.5, params: { status: 500 } });
    const plan = new FaultPlan({ seed: 99, rules: list });
    const run = () =>
      Array.from({ length: 64 }, () => plan.decide(get('/v1/plans')).terminal !== undefined);
    const first = run();
    plan.replace(list);
    expect(run()).toEqual(first);
    plan.reseed(99);
    plan.replace(list);
    expect(run()).toEqual(first);
    expect(plan.seed).toBe(99);
  });
});

const requestArbitrary = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE'),
  path: fc.constantFrom(
    '/v1/plans',
    '/v1/esims',
    '/v1/esims/891/topups',
    '/_sim/faults',
    '/healthz',
  ),
  headers: fc.constantFrom({}, { 'idempotency-key': 'k' }),
});

const ruleSet = rules(
  { kind: 'latency', probability: 0.7, params: { median: 80, sigma: 0.6, cap: 2000 } },
  { kind: 'latency', match: { method: 'POST' }, params: { min: 1, max: 500 } },
  { kind: 'reset-before', probability: 0.1, after: 1 },
  { kind: 'error', probability: 0.2, times: 5, match: { path: '/v1/**' }, params: { status: 503 } },
  { kind: 'timeout', probability: 0.1, match: { header: { name: 'idempotency-key' } } },
  { kind: 'truncated', probability: 0.3, params: { bytes: 3 } },
);

describe('reproducibility', () => {
  test.prop([fc.integer(), fc.array(requestArbitrary, { maxLength: 60 })], { numRuns: 200 })(
    'makes the same decisions for the same seed and request sequence',
    (seed, requests) => {
      const a = new FaultPlan({ seed, rules: ruleSet });
      const b = new FaultPlan({ seed, rules: ruleSet });
      expect(requests.map((r) => b.decide(r))).toEqual(requests.map((r) => a.decide(r)));
      expect(b.list()).toEqual(a.list());
    },
  );

  it('makes different decisions for different seeds', () => {
    const decisions = (seed: number) => {
      const plan = new FaultPlan({ seed, rules: ruleSet });
      return Array.from({ length: 50 }, () => plan.decide(post('/v1/esims')));
    };
    expect(decisions(1)).not.toEqual(decisions(2));
    expect(decisions(2)).not.toEqual(decisions(3));
    expect(decisions(1)).toEqual(decisions(1));
  });
});
