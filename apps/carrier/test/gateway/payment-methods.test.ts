import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledger } from '../../src/persistence/collections.ts';
import { gatewayCharges, listedEsims, orderBody } from '../esims/order-fixtures.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';

let t: TestCarrier;
beforeAll(async () => {
  t = await startTestCarrier({ carrier: 'tmobile', seed: 3 });
});
afterAll(() => t.close());

const order = (paymentMethod: string) =>
  t.api('/v1/esims', {
    method: 'POST',
    json: orderBody('tmobile-essentials', { paymentMethod }),
  });

describe('declining test payment methods', () => {
  it.each([
    ['pm_card_chargeDeclined', 'card_declined'],
    ['pm_card_insufficientFunds', 'insufficient_funds'],
  ])('%s is a 402 %s without Retry-After', async (paymentMethod, code) => {
    const res = await order(paymentMethod);
    expect(res.status).toBe(402);
    expect(res.headers.get('retry-after')).toBeNull();
    const problem = await json(res);
    expect(problem).toMatchObject({ status: 402, code });
    expect(problem.detail).toMatch(/payment method/);
  });

  it('pm_card_processingError is a retryable 402 processing_error with Retry-After', async () => {
    const res = await order('pm_card_processingError');
    expect(res.status).toBe(402);
    expect(res.headers.get('retry-after')).toBe('2');
    expect((await json(res)).code).toBe('processing_error');
  });

  it('leaves no eSIM, no charge and no ledger entry behind', async () => {
    expect(await listedEsims(t)).toEqual([]);
    expect(await gatewayCharges(t)).toEqual([]);
    expect(await t.store.transaction((tx) => tx.count(ledger, {}))).toBe(0);
  });
});

describe('approving test payment methods', () => {
  it.each(['pm_card_visa', 'pm_card_mastercard', 'pm_paypal'])(
    '%s authorizes the plan price',
    async (paymentMethod) => {
      const res = await order(paymentMethod);
      expect(res.status).toBe(201);
      const { iccid } = await json(res);
      const [charge] = await gatewayCharges(t, `?iccid=${iccid}`);
      expect(charge).toMatchObject({
        status: 'authorized',
        amount: { amount: 6000, currency: 'USD' },
        purpose: { kind: 'order', ref: iccid },
      });
    },
  );

  it('pm_card_slow answers after at least 3 seconds, then succeeds', async () => {
    const started = performance.now();
    const res = await order('pm_card_slow');
    const elapsed = performance.now() - started;
    expect(res.status).toBe(201);
    expect(elapsed).toBeGreaterThanOrEqual(3000);
    const { iccid } = await json(res);
    expect(await gatewayCharges(t, `?iccid=${iccid}`)).toHaveLength(1);
  });
});

describe('GET /_sim/gateway/charges', () => {
  it('filters by status and by ICCID, accepting a padded ICCID', async () => {
    const all = await gatewayCharges(t);
    expect(all).toHaveLength(4);
    expect(await gatewayCharges(t, '?status=authorized')).toEqual(all);
    expect(await gatewayCharges(t, '?status=captured')).toEqual([]);
    const [first] = all;
    const iccid: string = first.purpose.ref;
    expect(await gatewayCharges(t, `?iccid=${iccid}F`)).toEqual([first]);
  });

  it('refuses an unknown status or a malformed ICCID with 400', async () => {
    for (const query of ['?status=pending', '?iccid=123']) {
      const res = await fetch(`${t.baseUrl}/_sim/gateway/charges${query}`);
      expect(res.status).toBe(400);
      expect((await json(res)).code).toBe('invalid_request');
    }
  });

  it('asks for the admin token when the carrier has one', async () => {
    const guarded = await startTestCarrier({ carrier: 'att', adminToken: 'secret-admin' });
    try {
      const denied = await fetch(`${guarded.baseUrl}/_sim/gateway/charges`);
      expect(denied.status).toBe(401);
      const allowed = await fetch(`${guarded.baseUrl}/_sim/gateway/charges`, {
        headers: { 'x-sim-admin-token': 'secret-admin' },
      });
      expect(await json(allowed)).toEqual({ data: [] });
    } finally {
      await guarded.close();
    }
  });
});
