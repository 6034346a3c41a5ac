import type { ApiStyle, CarrierId } from '@esimlab/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttemptRecord, type FaultRuleInput, purchaseTopup } from '../../src/index.ts';
import {
  addonPlan,
  carrierClient,
  orderedEsim,
  type ScopedClient,
  scopedClient,
  uniqueId,
} from '../support/carriers.ts';
import { capturedTopupCharges, fastRetry, seededJitter } from '../support/topups.ts';

const styles: readonly { readonly style: ApiStyle; readonly carrier: CarrierId }[] = [
  { style: 'idempotent', carrier: 'att' },
  { style: 'reference', carrier: 'tmobile' },
  { style: 'async', carrier: 'verizon' },
];

const onTopups = { method: 'POST', path: '/v1/esims/*/topups' };

/** Each fault once, on the first purchase request, and what that request then looks like. */
const faults: readonly {
  readonly name: string;
  readonly rule: FaultRuleInput;
  readonly first: AttemptRecord['result'];
  readonly retryAfterMs?: number;
}[] = [
  {
    name: 'reset-after-commit',
    rule: { kind: 'reset-after-commit', match: onTopups, times: 1 },
    first: { type: 'network-error', kind: 'reset', phase: 'before-response' },
  },
  {
    name: 'reset-before',
    rule: { kind: 'reset-before', match: onTopups, times: 1 },
    first: { type: 'network-error', kind: 'reset', phase: 'before-response' },
  },
  {
    name: 'timeout',
    rule: { kind: 'timeout', match: onTopups, times: 1 },
    first: { type: 'network-error', kind: 'timeout', phase: 'before-response' },
  },
  {
    name: 'truncated',
    rule: { kind: 'truncated', params: { bytes: 20 }, match: onTopups, times: 1 },
    first: { type: 'network-error', kind: 'truncated', phase: 'after-headers' },
  },
  {
    name: '503 with Retry-After',
    rule: { kind: 'error', params: { status: 503, retryAfter: 1 }, match: onTopups, times: 1 },
    first: { type: 'response', httpStatus: 503, code: 'upstream_unavailable' },
    retryAfterMs: 1000,
  },
  {
    name: '429 with Retry-After',
    rule: { kind: 'error', params: { status: 429, retryAfter: 1 }, match: onTopups, times: 1 },
    first: { type: 'response', httpStatus: 429, code: 'rate_limited' },
    retryAfterMs: 1000,
  },
];

/** Whether the strategy has to look its reference up before buying again after this fault. */
const looksUp = (style: ApiStyle, first: AttemptRecord['result']): boolean =>
  style === 'reference' &&
  (first.type === 'network-error' || (first.type === 'response' && first.httpStatus >= 500));

let scoped: ScopedClient | undefined;
afterEach(async () => {
  await scoped?.close();
  scoped = undefined;
});

describe.each(styles)('the $style strategy against $carrier', ({ style, carrier }) => {
  it.each(faults)(
    'buys exactly once and ends ok after a $name',
    async ({ rule, first, retryAfterMs }) => {
      scoped = scopedClient(carrier);
      const { client } = scoped;
      const esim = await orderedEsim(client);
      const boost = await addonPlan(client, 'boost');
      await scoped.fault(rule);

      const result = await purchaseTopup(
        client,
        {
          intentId: uniqueId('intent'),
          iccid: esim.iccid,
          planId: boost.id,
          paymentMethod: 'pm_card_visa',
        },
        { strategy: style, retry: fastRetry, random: seededJitter(7) },
      );

      expect(result.outcome.status).toBe('ok');
      if (result.outcome.status !== 'ok') return;
      expect(result.outcome.topup.status).toBe('succeeded');
      const captured = await capturedTopupCharges(client, esim.iccid);
      expect(captured.map((c) => c.purpose.ref)).toEqual([result.outcome.topup.id]);

      const [firstAttempt, ...rest] = result.attempts;
      expect(firstAttempt?.request).toBe('create');
      expect(firstAttempt?.result).toMatchObject(first);
      expect(rest.some((a) => a.request === 'lookup')).toBe(looksUp(style, first));
      if (retryAfterMs !== undefined && firstAttempt) {
        // Never sooner than Retry-After, whatever the next request is.
        const next = rest[0];
        const firstEnded = firstAttempt.startedAtMs + firstAttempt.durationMs;
        expect(next?.startedAtMs ?? 0).toBeGreaterThanOrEqual(firstEnded + retryAfterMs - 5);
      }
      expect(result.intent).toMatchObject({
        intentId: expect.any(String),
        iccid: esim.iccid,
        planId: boost.id,
        outcome: { status: 'ok', topupId: result.outcome.topup.id },
      });
    },
  );
});

describe('the shared carriers after every strategy ran under faults', () => {
  it.each(styles)('$carrier shows no duplicate charge and no lost top-up', async ({ carrier }) => {
    const client = carrierClient(carrier);
    const report = await client.sim.audit();
    client.close();
    expect(report.violations).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
