import type { ApiStyle, CarrierId } from '@esimlab/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { purchaseTopup } from '../../src/index.ts';
import {
  addonPlan,
  orderedEsim,
  type ScopedClient,
  scopedClient,
  uniqueId,
} from '../support/carriers.ts';
import { fastRetry, seededJitter, topupCharges } from '../support/topups.ts';

const styles: readonly { readonly style: ApiStyle; readonly carrier: CarrierId }[] = [
  { style: 'idempotent', carrier: 'att' },
  { style: 'reference', carrier: 'tmobile' },
  { style: 'async', carrier: 'verizon' },
];

let scoped: ScopedClient | undefined;
afterEach(async () => {
  await scoped?.close();
  scoped = undefined;
});

/** A scoped client, a fresh eSIM and the carrier's boost. */
async function setUp(carrier: CarrierId) {
  scoped = scopedClient(carrier);
  const esim = await orderedEsim(scoped.client);
  const boost = await addonPlan(scoped.client, 'boost');
  const purchase = (paymentMethod: string) => ({
    intentId: uniqueId('intent'),
    iccid: esim.iccid,
    planId: boost.id,
    paymentMethod,
  });
  return { client: scoped.client, esim, boost, purchase };
}

describe.each(styles)('the $style strategy against $carrier', ({ style, carrier }) => {
  it.each([
    ['pm_card_chargeDeclined', 'card_declined'],
    ['pm_card_insufficientFunds', 'insufficient_funds'],
  ])('ends failed, charging nothing, when %s is declined', async (paymentMethod, code) => {
    const { client, esim, purchase } = await setUp(carrier);
    const result = await purchaseTopup(client, purchase(paymentMethod), {
      strategy: style,
      retry: fastRetry,
    });
    expect(result.outcome).toMatchObject({ status: 'failed', problem: { status: 402, code } });
    expect(result.attempts).toHaveLength(1);
    expect(result.intent.outcome).toEqual({ status: 'failed' });
    expect(await topupCharges(client, esim.iccid)).toEqual([]);
  });

  it('ends unknown when the carrier stays down, and never buys', async () => {
    const { client, esim, purchase } = await setUp(carrier);
    // An outage of the whole API, lookups included, answering 503 with Retry-After: 0.
    await scoped?.fault({
      kind: 'error',
      params: { status: 503, retryAfter: 0 },
      match: { path: '/v1/**' },
    });
    const result = await purchaseTopup(client, purchase('pm_card_visa'), {
      strategy: style,
      retry: { ...fastRetry, maxAttempts: 2 },
    });
    expect(result.outcome.status).toBe('unknown');
    if (result.outcome.status === 'unknown') {
      expect(result.outcome.reason).toMatch(/may or may not have gone through/);
      expect(result.outcome.reason).toContain('503 upstream_unavailable');
    }
    expect(result.intent.outcome).toEqual({ status: 'unknown' });
    const requests = result.attempts.map((a) => a.request);
    // The reference style may not buy again without a lookup, and no lookup got through.
    expect(requests).toEqual(
      style === 'reference' ? ['create', 'lookup', 'lookup'] : ['create', 'create'],
    );
    await scoped?.close();
    scoped = undefined;
    expect(await topupCharges(client, esim.iccid)).toEqual([]);
  });
});

describe('retries the carrier invites', () => {
  it('retries a processing error no sooner than its Retry-After, then fails: every answer said nothing was charged', async () => {
    const { client, esim, purchase } = await setUp('att');
    const result = await purchaseTopup(client, purchase('pm_card_processingError'), {
      retry: { ...fastRetry, maxAttempts: 2 },
    });
    expect(result.outcome).toMatchObject({
      status: 'failed',
      problem: { code: 'processing_error' },
    });
    const [first, second] = result.attempts;
    expect(first?.result).toMatchObject({ httpStatus: 402, code: 'processing_error' });
    expect(second?.result).toMatchObject({ httpStatus: 402, code: 'processing_error' });
    expect(
      (second?.startedAtMs ?? 0) - ((first?.startedAtMs ?? 0) + (first?.durationMs ?? 0)),
    ).toBeGreaterThanOrEqual(1995);
    // Each decline recorded a failed top-up; none was charged.
    expect(await topupCharges(client, esim.iccid)).toEqual([]);
  });

  it('waits out a request with the same key still in flight, then gets its answer', async () => {
    const { client, esim, purchase } = await setUp('att');
    const intent = purchase('pm_card_slow');
    // The same intent twice at once: the second finds the first still holding the key.
    const [a, b] = await Promise.all([
      purchaseTopup(client, intent, { retry: { ...fastRetry, attemptTimeoutMs: 5000 } }),
      new Promise((resolve) => setTimeout(resolve, 200)).then(() =>
        purchaseTopup(client, intent, { retry: { ...fastRetry, attemptTimeoutMs: 5000 } }),
      ),
    ]);
    expect(a.outcome.status).toBe('ok');
    expect(b.outcome.status).toBe('ok');
    expect(b.attempts[0]?.result).toMatchObject({
      httpStatus: 409,
      code: 'idempotency_key_in_use',
    });
    const captured = (await topupCharges(client, esim.iccid)).filter(
      (c) => c.status === 'captured',
    );
    expect(captured).toHaveLength(1);
    if (a.outcome.status === 'ok' && b.outcome.status === 'ok') {
      expect(b.outcome.topup.id).toBe(a.outcome.topup.id);
    }
  });

  it('ends failed on a validation error: an add-on is bought as a top-up, not a base plan', async () => {
    const { client, esim } = await setUp('att');
    const result = await purchaseTopup(client, {
      intentId: uniqueId('intent'),
      iccid: esim.iccid,
      planId: esim.planId,
      paymentMethod: 'pm_card_visa',
    });
    expect(result.outcome).toMatchObject({ status: 'failed', problem: { code: 'plan_not_found' } });
  });

  it('draws its backoff from the jitter source it is given, and sleeps through what it is given', async () => {
    const { client, purchase } = await setUp('att');
    await scoped?.fault({
      kind: 'error',
      params: { status: 503, retryAfter: 0 },
      match: { method: 'POST' },
      times: 2,
    });
    const slept: number[] = [];
    const result = await purchaseTopup(client, purchase('pm_card_visa'), {
      retry: { baseDelayMs: 100, maxDelayMs: 1000 },
      random: () => 0.5,
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
    expect(result.outcome.status).toBe('ok');
    // Full jitter at 0.5: half of 100 ms, then half of 200 ms.
    expect(slept).toEqual([50, 100]);
  });

  it('gives the same waits for the same seed', async () => {
    const waits = async (seed: number) => {
      const { client, purchase } = await setUp('att');
      await scoped?.fault({
        kind: 'error',
        params: { status: 503, retryAfter: 0 },
        match: { method: 'POST' },
        times: 3,
      });
      const slept: number[] = [];
      await purchaseTopup(client, purchase('pm_card_visa'), {
        random: seededJitter(seed),
        sleep: async (ms) => {
          slept.push(ms);
        },
      });
      await scoped?.close();
      scoped = undefined;
      return slept;
    };
    const first = await waits(11);
    expect(first).toHaveLength(3);
    expect(await waits(11)).toEqual(first);
  });
});

describe('async top-ups', () => {
  it('ends unknown when a top-up is still pending at the deadline', async () => {
    const { client, esim, purchase } = await setUp('verizon');
    const result = await purchaseTopup(client, purchase('pm_card_visa'), {
      strategy: 'async',
      retry: { ...fastRetry, asyncDeadlineMs: 20 },
    });
    expect(result.outcome.status).toBe('unknown');
    if (result.outcome.status === 'unknown') expect(result.outcome.reason).toMatch(/still pending/);
    expect(result.attempts.map((a) => a.request)).toContain('poll');
    // Unknown is no guess: the top-up completes later, charged once.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const charges = await topupCharges(client, esim.iccid);
    expect(charges.map((c) => c.status)).toEqual(['captured']);
  });

  it('polls a pending top-up to its end when no webhook is awaited', async () => {
    const { client, purchase } = await setUp('verizon');
    const result = await purchaseTopup(client, purchase('pm_card_visa'), {
      strategy: 'async',
      retry: fastRetry,
    });
    expect(result.outcome.status).toBe('ok');
    expect(result.attempts[0]?.result).toMatchObject({ httpStatus: 202, topupStatus: 'pending' });
    expect(result.attempts.at(-1)).toMatchObject({
      request: 'poll',
      result: { topupStatus: 'succeeded' },
    });
  });
});
