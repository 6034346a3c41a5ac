// Each API style's strategy against a real carrier and one deterministic fault on the first
// purchase request, so every retry decision is visible in the metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultArming, type RechargeLoadResult, runRechargeLoad } from '../src/index.ts';
import { type LocalCarriers, startLocalCarriers } from './support/local-carriers.ts';

const onFirstPurchase = (kind: 'reset-after-commit' | 'reset-before'): FaultArming => ({
  rules: [{ kind, match: { method: 'POST', path: '/v1/esims/*/topups' }, times: 1, params: {} }],
});

let carriers: LocalCarriers<'att' | 'tmobile'>;

beforeAll(async () => {
  carriers = await startLocalCarriers(['att', 'tmobile']);
}, 60_000);

afterAll(async () => {
  await carriers?.stop();
});

/** One intent against `carrier` with `faults`. */
const oneIntent = (carrier: 'att' | 'tmobile', faults: FaultArming) =>
  runRechargeLoad({
    baseUrl: carriers.urls[carrier],
    scenario: 'steady',
    settings: { rate: 1, durationMs: 1000 },
    faults,
    subscribers: 1,
  });

const count = (result: RechargeLoadResult, metric: string) =>
  result.summary.metrics[metric]?.values.count;

describe('the idempotent strategy', () => {
  it('retries a lost answer under the same key and gets the first purchase replayed', async () => {
    const result = await oneIntent('att', onFirstPurchase('reset-after-commit'));
    expect(result.outcomes).toEqual({ ok: 1, failed: 0, unknown: 0 });
    expect(count(result, 'topup_retries')).toBe(1);
    expect(count(result, 'duplicate_charges')).toBe(0);
    expect(result.audit).toMatchObject({ ok: true });
  });
});

describe('the reference strategy', () => {
  it('finds a purchase whose answer was lost by its reference, after the settle wait, and buys nothing more', async () => {
    const result = await oneIntent('tmobile', onFirstPurchase('reset-after-commit'));
    expect(result.outcomes).toEqual({ ok: 1, failed: 0, unknown: 0 });
    expect(count(result, 'topup_retries')).toBe(0);
    // The settle interval: the carrier's maximum processing time (5 s) plus a margin.
    expect(result.summary.metrics.recharge_duration?.values.min).toBeGreaterThanOrEqual(5500);
    expect(count(result, 'duplicate_charges')).toBe(0);
    expect(result.audit).toMatchObject({ ok: true });
  });

  it('buys again once the lookup shows the lost request bought nothing', async () => {
    const result = await oneIntent('tmobile', onFirstPurchase('reset-before'));
    expect(result.outcomes).toEqual({ ok: 1, failed: 0, unknown: 0 });
    expect(count(result, 'topup_retries')).toBe(1);
    expect(count(result, 'duplicate_charges')).toBe(0);
    expect(result.audit).toMatchObject({ ok: true });
  });
});
