import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  activeEsim,
  advance,
  cancel,
  getEsim,
  patchEsim,
  planById,
} from '../renewals/renewal-fixtures.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import { addon, topup, topupCharges } from './topup-fixtures.ts';

let att: TestCarrier;
beforeEach(async () => {
  att = await startTestCarrier({ carrier: 'att', seed: 7 });
});
afterEach(() => att.close());

const buyBoost = async (iccid: string, key: string) =>
  topup(att, iccid, { planId: (await addon(att, 'boost')).id, paymentMethod: 'pm_card_visa' }, key);

describe('which eSIMs can buy a top-up', () => {
  it('refuses a cancelled eSIM with 409 esim_cancelled and charges nothing', async () => {
    const esim = await activeEsim(att, 'att-unlimited-starter');
    expect((await cancel(att, esim.iccid)).status).toBe(200);

    const res = await buyBoost(esim.iccid, 'after-cancel');

    expect(res.status).toBe(409);
    expect((await json(res)).code).toBe('esim_cancelled');
    expect(await topupCharges(att, esim.iccid)).toEqual([]);
  });

  it('refuses a cancelled eSIM before its card is declined, records nothing, and replays the refusal', async () => {
    const esim = await activeEsim(att, 'att-unlimited-starter');
    expect((await cancel(att, esim.iccid)).status).toBe(200);
    const order = {
      planId: (await addon(att, 'boost')).id,
      paymentMethod: 'pm_card_chargeDeclined',
    };

    const first = await topup(att, esim.iccid, order, 'declining-card');
    const again = await topup(att, esim.iccid, order, 'declining-card');

    expect(first.status).toBe(409);
    expect((await json(first)).code).toBe('esim_cancelled');
    expect(again.status).toBe(409);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await json(again)).code).toBe('esim_cancelled');
    const { data } = await json(await att.api(`/v1/esims/${esim.iccid}/topups`));
    expect(data).toEqual([]);
    expect(await topupCharges(att, esim.iccid)).toEqual([]);
  });

  it('sells a boost to an eSIM whose base plan ran out: expired is not cancelled', async () => {
    const plan = await planById(att, 'att-unlimited-starter');
    const esim = await activeEsim(att, plan.id);
    expect((await patchEsim(att, esim.iccid, { autoRenew: false })).status).toBe(200);
    await advance(att, `P${plan.validityDays + 1}D`);
    expect((await getEsim(att, esim.iccid)).status).toBe('expired');

    const res = await buyBoost(esim.iccid, 'after-expiry');

    expect(res.status).toBe(201);
    expect(await topupCharges(att, esim.iccid)).toMatchObject([{ status: 'captured' }]);
  });
});
