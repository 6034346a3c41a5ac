import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  activeEsim,
  advance,
  cancel,
  expectCleanAudit,
  getEsim,
  journal,
  patchEsim,
  planById,
} from '../renewals/renewal-fixtures.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import { addon, type LooseJson, slowPurchase, topup, topupCharges } from './topup-fixtures.ts';

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

describe('a purchase checked again when its data comes to be credited', () => {
  const chargeOf = async (iccid: string, topupId: string): Promise<LooseJson> =>
    (await topupCharges(att, iccid)).find((c) => c.purpose.ref === topupId);

  it('voids the charge of an eSIM cancelled during a slow payment: 409 esim_cancelled, replayed', async () => {
    const esim = await activeEsim(att, 'att-unlimited-starter');
    const boost = await addon(att, 'boost');
    const purchase = slowPurchase(att, esim.iccid, boost.id, 'slow-then-cancelled');
    await purchase.claimed;
    expect((await cancel(att, esim.iccid)).status).toBe(200);

    const res = await purchase.answered;
    const problem = await json(res);
    const replay = await topup(
      att,
      esim.iccid,
      { planId: boost.id, paymentMethod: 'pm_card_slow' },
      'slow-then-cancelled',
    );

    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(problem).toMatchObject({ code: 'esim_cancelled', topupId: expect.any(String) });
    expect(problem.detail).toContain('voided');
    expect(replay.status).toBe(409);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await json(replay)).toEqual(problem);
    const { data } = await json(await att.api(`/v1/esims/${esim.iccid}/topups`));
    expect(data).toMatchObject([
      { id: problem.topupId, status: 'failed', failureCode: 'esim_cancelled' },
    ]);
    expect(await chargeOf(esim.iccid, problem.topupId)).toMatchObject({ status: 'voided' });
    expect(await journal(att, { iccid: esim.iccid, type: 'topup.credited' })).toEqual([]);
    expect(await journal(att, { iccid: esim.iccid, type: 'topup.failed' })).toMatchObject([
      { data: { topupId: problem.topupId, status: 'failed' } },
    ]);
    await expectCleanAudit(att);
  });

  it('voids the slower of two passes that raced, where one pass at a time is allowed: 409 pass_already_active', async () => {
    const esim = await activeEsim(att, 'att-unlimited-starter');
    const pass = await addon(att, 'pass');
    const slow = slowPurchase(att, esim.iccid, pass.id, 'slow-pass');
    await slow.claimed;
    const fast = await topup(
      att,
      esim.iccid,
      { planId: pass.id, paymentMethod: 'pm_card_visa' },
      'fast-pass',
    );

    const res = await slow.answered;
    const problem = await json(res);

    expect(fast.status).toBe(201);
    const credited = await json(fast);
    expect(res.status).toBe(409);
    expect(problem).toMatchObject({ code: 'pass_already_active', topupId: expect.any(String) });
    expect(problem.topupId).not.toBe(credited.id);
    expect(await chargeOf(esim.iccid, problem.topupId)).toMatchObject({ status: 'voided' });
    expect(await chargeOf(esim.iccid, credited.id)).toMatchObject({ status: 'captured' });
    const credits = await journal(att, { iccid: esim.iccid, type: 'topup.credited' });
    expect(credits.map((event: LooseJson) => event.data.topupId)).toEqual([credited.id]);
    await expectCleanAudit(att);
  });
});
