import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';

let verizon: TestCarrier;
beforeAll(async () => {
  verizon = await startTestCarrier({ carrier: 'verizon' });
});
afterAll(() => verizon.close());

describe('POST /_sim/reset', () => {
  it('puts back the first-start state: only tenant dev, clock offset 0, default style, no events', async () => {
    const acme = await json(
      await verizon.api('/_sim/tenants', { method: 'POST', json: { name: 'acme' } }),
    );
    await verizon.api('/_sim/clock/advance', { method: 'POST', json: { by: 'P10D' } });
    await verizon.api('/_sim/config', { method: 'PATCH', json: { apiStyle: 'idempotent' } });

    const res = await verizon.api('/_sim/reset', { method: 'POST' });
    expect(res.status).toBe(204);

    const tenants = (await json(await verizon.api('/_sim/tenants'))).data;
    expect(tenants.map((t: { name: string }) => t.name)).toEqual(['dev']);
    expect((await json(await verizon.api('/_sim/clock'))).offsetMs).toBe(0);
    expect((await json(await verizon.api('/_sim/config'))).apiStyle).toBe('async');
    expect((await json(await verizon.api('/_sim/events'))).data).toEqual([]);
    expect((await verizon.api('/v1/plans')).status).toBe(200);
    const oldKey = await verizon.api('/v1/plans', {
      headers: { authorization: `Bearer ${acme.apiKey}` },
    });
    expect(oldKey.status).toBe(401);
  });

  it('accepts an empty JSON object and refuses any other body', async () => {
    expect((await verizon.api('/_sim/reset', { method: 'POST', json: {} })).status).toBe(204);
    const res = await verizon.api('/_sim/reset', { method: 'POST', json: { everything: true } });
    expect(res.status).toBe(400);
  });
});
