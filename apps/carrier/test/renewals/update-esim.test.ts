import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTenant } from '../esims/order-fixtures.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import {
  activeEsim,
  cancel,
  getEsim,
  journal,
  type LooseJson,
  orderedEsim,
  patchEsim,
} from './renewal-fixtures.ts';

let att: TestCarrier;
let esim: LooseJson;
beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att', seed: 42 });
  esim = await activeEsim(att, 'att-unlimited-starter');
});
afterAll(() => att.close());

describe('PATCH /v1/esims/{iccid}', () => {
  it('turns auto-renewal off and changes the payment method, answering with the eSIM', async () => {
    const target = await activeEsim(att, 'att-unlimited-starter');
    const res = await patchEsim(att, target.iccid, {
      autoRenew: false,
      paymentMethod: 'pm_paypal',
    });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ iccid: target.iccid, autoRenew: false, status: 'active' });
    expect(body.confirmationCode).toBeUndefined();
    expect((await getEsim(att, target.iccid)).autoRenew).toBe(false);
    const [updated, ...more] = await journal(att, { iccid: target.iccid, type: 'esim.updated' });
    expect(more).toEqual([]);
    expect(updated.data).toMatchObject({ autoRenew: false, paymentMethodChanged: true });

    const back = await patchEsim(att, target.iccid, { autoRenew: true });
    expect((await json(back)).autoRenew).toBe(true);
  });

  it.each([
    ['an empty object', {}],
    ['a non-boolean autoRenew', { autoRenew: 'yes' }],
    ['an unknown payment method', { paymentMethod: 'pm_card_amex' }],
    ['an unknown field', { autoRenew: false, nickname: 'work phone' }],
    ['a JSON array', [{ autoRenew: false }]],
    ['JSON null', null],
  ])('refuses %s with 400 invalid_request and changes nothing', async (_name, body) => {
    const before = await getEsim(att, esim.iccid);
    const eventsBefore = (await journal(att, {})).length;
    const res = await patchEsim(att, esim.iccid, body);
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ code: 'invalid_request' });
    expect(await getEsim(att, esim.iccid)).toEqual(before);
    expect(await journal(att, {})).toHaveLength(eventsBefore);
  });

  it('refuses a request without a body with 400', async () => {
    const res = await att.api(`/v1/esims/${esim.iccid}`, { method: 'PATCH' });
    expect(res.status).toBe(400);
    expect((await json(res)).detail).toMatch(/autoRenew|object/);
  });

  it('names the test payment methods when the payment method is unknown', async () => {
    const res = await patchEsim(att, esim.iccid, { paymentMethod: 'tok_visa' });
    expect((await json(res)).errors).toEqual([
      { field: 'body.paymentMethod', message: expect.stringContaining('pm_card_visa') },
    ]);
  });

  it("answers 404 for another tenant's eSIM and for an unknown one", async () => {
    const otherKey = await addTenant(att, 'patch_other');
    const res = await att.api(`/v1/esims/${esim.iccid}`, {
      method: 'PATCH',
      json: { autoRenew: false },
      headers: { authorization: `Bearer ${otherKey}` },
    });
    expect(res.status).toBe(404);
    expect((await json(res)).code).toBe('esim_not_found');
    expect((await getEsim(att, esim.iccid)).autoRenew).toBe(true);

    const unknown = await patchEsim(att, '8901410123456789012', { autoRenew: false });
    expect([400, 404]).toContain(unknown.status);
  });

  it('refuses auto-renewal with 422 for a plan that never renews', async () => {
    const prepaid = await orderedEsim(att, 'att-prepaid-16gb');
    expect(prepaid.autoRenew).toBe(false);
    const res = await patchEsim(att, prepaid.iccid, { autoRenew: true });
    expect(res.status).toBe(422);
    expect(await json(res)).toMatchObject({ code: 'auto_renew_unavailable' });
    expect((await getEsim(att, prepaid.iccid)).autoRenew).toBe(false);
  });

  it('refuses changes to a cancelled eSIM with 409 esim_cancelled', async () => {
    const target = await activeEsim(att, 'att-unlimited-starter');
    expect((await cancel(att, target.iccid)).status).toBe(200);
    const res = await patchEsim(att, target.iccid, { paymentMethod: 'pm_card_visa' });
    expect(res.status).toBe(409);
    expect((await json(res)).code).toBe('esim_cancelled');
  });
});
