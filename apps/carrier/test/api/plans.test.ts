import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';

let att: TestCarrier;
beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att' });
});
afterAll(() => att.close());

describe('GET /v1/plans', () => {
  it('lists the carrier catalog with integer cents and bytes', async () => {
    const res = await att.api('/v1/plans');
    expect(res.status).toBe(200);
    const { data } = await json(res);
    expect(data.length).toBeGreaterThan(3);
    for (const plan of data) {
      expect(plan.carrier).toBe('att');
      expect(Number.isInteger(plan.price.amount)).toBe(true);
      expect(plan.price.currency).toBe('USD');
      expect(Number.isInteger(plan.dataBytes)).toBe(true);
    }
    expect(data.some((p: { kind: string }) => p.kind === 'addon')).toBe(true);
  });

  it('refuses a missing API key with 401 problem+json', async () => {
    const res = await att.api('/v1/plans', { headers: { authorization: '' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await json(res)).code).toBe('unauthenticated');
  });

  it('refuses an unknown API key', async () => {
    const res = await att.api('/v1/plans', { headers: { authorization: 'Bearer sk_test_nope' } });
    expect(res.status).toBe(401);
  });
});

describe('GET /healthz', () => {
  it('answers without a key and names the carrier', async () => {
    const res = await fetch(`${att.baseUrl}/healthz`);
    expect(await json(res)).toEqual({ status: 'ok', carrier: 'att' });
  });
});
