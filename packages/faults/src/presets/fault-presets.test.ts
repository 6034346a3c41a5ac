import { describe, expect, it } from 'vitest';
import { FaultPlan } from '../engine/fault-plan.ts';
import { parseFaultRules } from '../rules/parse-fault-rules.ts';
import { faultPresetNames, faultPresets } from './fault-presets.ts';

const request = (method: string, path: string) => ({ method, path, headers: {} });

describe('fault presets', () => {
  it('offers at least the four the issue names', () => {
    expect(faultPresetNames).toEqual([
      'flaky-mobile',
      'carrier-outage',
      'remote-area',
      'payment-gateway-slow',
    ]);
  });

  it.each(faultPresetNames)('%s is a valid rule list, unchanged by validation', (name) => {
    const preset = faultPresets[name];
    expect(preset.name).toBe(name);
    expect(parseFaultRules(preset.rules)).toEqual({ ok: true, value: preset.rules });
  });

  it.each(faultPresetNames)('%s never touches the control plane, /healthz or /metrics', (name) => {
    const plan = new FaultPlan({ seed: 5, rules: faultPresets[name].rules });
    for (let i = 0; i < 200; i++) {
      for (const path of ['/_sim/faults', '/healthz', '/metrics']) {
        expect(plan.decide(request('POST', path)).ruleIds).toEqual([]);
      }
    }
  });

  it('flaky-mobile delays every request around 80 ms and fails a few percent in each way', () => {
    const plan = new FaultPlan({ seed: 21, rules: faultPresets['flaky-mobile'].rules });
    const decisions = Array.from({ length: 10_000 }, () =>
      plan.decide(request('GET', '/v1/plans')),
    );
    const share = (kind: string) =>
      decisions.filter((d) => d.terminal?.kind === kind).length / decisions.length;
    expect(share('reset-before')).toBeCloseTo(0.02, 2);
    expect(share('reset-after-commit')).toBeCloseTo(0.0196, 2);
    expect(share('error')).toBeCloseTo(0.0288, 2);
    const latencies = decisions.map((d) => d.latencyMs).sort((a, b) => a - b);
    expect(latencies[5000]).toBeGreaterThan(70);
    expect(latencies[5000]).toBeLessThan(90);
  });

  it('carrier-outage answers 503 with a long Retry-After on the API only', () => {
    const plan = new FaultPlan({ seed: 1, rules: faultPresets['carrier-outage'].rules });
    expect(plan.decide(request('GET', '/v1/plans')).terminal).toMatchObject({
      kind: 'error',
      params: { status: 503, retryAfter: 30 },
    });
    expect(plan.decide(request('GET', '/openapi.json')).terminal).toBeUndefined();
  });

  it('remote-area is slow everywhere and sometimes times out, resets or truncates', () => {
    const plan = new FaultPlan({ seed: 2, rules: faultPresets['remote-area'].rules });
    const decisions = Array.from({ length: 2000 }, () => plan.decide(request('GET', '/v1/plans')));
    const kinds = new Set(decisions.map((d) => d.terminal?.kind));
    expect(kinds).toEqual(new Set([undefined, 'timeout', 'reset-before', 'truncated']));
    const sorted = decisions.map((d) => d.latencyMs).sort((a, b) => a - b);
    expect(sorted[1000]).toBeGreaterThan(500);
    expect(sorted.at(-1)).toBeLessThanOrEqual(8000);
  });

  it('payment-gateway-slow delays orders and top-ups by 2-8 s and nothing else', () => {
    const plan = new FaultPlan({ seed: 4, rules: faultPresets['payment-gateway-slow'].rules });
    for (let i = 0; i < 100; i++) {
      for (const path of ['/v1/esims', '/v1/esims/8901/topups']) {
        const { latencyMs } = plan.decide(request('POST', path));
        expect(latencyMs).toBeGreaterThanOrEqual(2000);
        expect(latencyMs).toBeLessThanOrEqual(8000);
      }
      expect(plan.decide(request('GET', '/v1/esims')).latencyMs).toBe(0);
      expect(plan.decide(request('POST', '/v1/esims/8901/cancel')).latencyMs).toBe(0);
    }
  });
});
