import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDevice, download } from '../devices/device-fixtures.ts';
import { addTenant } from '../esims/order-fixtures.ts';
import {
  activeEsim,
  advance,
  cancel,
  chargesFor,
  expectCleanAudit,
  getEsim,
  journal,
  ledgerEntries,
  orderedEsim,
  patchEsim,
  planById,
} from '../renewals/renewal-fixtures.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';

// 30-day minimum term, $25 early-termination fee, renews automatically.
const TERM_PLAN = 'att-value-plus';

let att: TestCarrier;
beforeEach(async () => {
  att = await startTestCarrier({ carrier: 'att', seed: 43 });
});
afterEach(() => att.close());

describe('POST /v1/esims/{iccid}/cancel', () => {
  it('charges the early-termination fee inside the minimum term, then cancels', async () => {
    const plan = await planById(att, TERM_PLAN);
    const esim = await activeEsim(att, TERM_PLAN);
    await advance(att, 'P5D');

    const res = await cancel(att, esim.iccid);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({
      iccid: esim.iccid,
      state: 'enabled',
      status: 'cancelled',
      earlyTerminationFee: plan.earlyTerminationFee,
    });

    const [fee, ...more] = await chargesFor(att, esim.iccid, 'fee');
    expect(more).toEqual([]);
    expect(fee).toMatchObject({ id: body.chargeId, status: 'captured', amount: { amount: 2500 } });
    const assessed = (await ledgerEntries(att, esim.iccid)).filter(
      (e) => e.type === 'fee_assessed',
    );
    expect(assessed).toMatchObject([
      { chargeId: fee.id, amount: plan.earlyTerminationFee, ref: fee.purpose.ref },
    ]);
    expect(await getEsim(att, esim.iccid)).toMatchObject({
      status: 'cancelled',
      autoRenew: false,
      balance: { dataRemainingBytes: 0, expiresAt: null },
    });
    expect(await journal(att, { iccid: esim.iccid, type: 'esim.cancelled' })).toHaveLength(1);
    await expectCleanAudit(att);
  });

  it('charges no fee once the minimum term is over (the plan renewed meanwhile)', async () => {
    const esim = await activeEsim(att, TERM_PLAN);
    await advance(att, 'P31D');
    expect(await chargesFor(att, esim.iccid, 'renewal')).toMatchObject([{ status: 'captured' }]);

    const res = await cancel(att, esim.iccid, { body: {} });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({
      status: 'cancelled',
      earlyTerminationFee: null,
      chargeId: null,
    });
    expect(await chargesFor(att, esim.iccid, 'fee')).toEqual([]);
    // A cancelled eSIM is not renewed again.
    await advance(att, 'P31D');
    expect(await chargesFor(att, esim.iccid, 'renewal')).toHaveLength(1);
    await expectCleanAudit(att);
  });

  it('charges no fee on a plan without a minimum term', async () => {
    const esim = await activeEsim(att, 'att-unlimited-starter');
    const res = await cancel(att, esim.iccid);
    expect(await json(res)).toMatchObject({ status: 'cancelled', earlyTerminationFee: null });
    await expectCleanAudit(att);
  });

  it('answers 402 with the decline code and cancels nothing when the fee is declined', async () => {
    const esim = await activeEsim(att, TERM_PLAN);
    expect(
      (await patchEsim(att, esim.iccid, { paymentMethod: 'pm_card_insufficientFunds' })).status,
    ).toBe(200);
    const before = await getEsim(att, esim.iccid);
    const eventsBefore = (await journal(att, {})).length;

    const res = await cancel(att, esim.iccid);
    expect(res.status).toBe(402);
    expect(await json(res)).toMatchObject({ code: 'insufficient_funds' });
    expect(await getEsim(att, esim.iccid)).toEqual(before);
    expect(await chargesFor(att, esim.iccid, 'fee')).toEqual([]);
    expect(await journal(att, {})).toHaveLength(eventsBefore);
  });

  it('voids the order authorization and withdraws the profile of an eSIM never activated', async () => {
    const esim = await orderedEsim(att, TERM_PLAN);
    const res = await cancel(att, esim.iccid);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({
      state: 'unavailable',
      status: 'cancelled',
      earlyTerminationFee: null,
    });
    expect(await chargesFor(att, esim.iccid, 'order')).toMatchObject([{ status: 'voided' }]);

    const device = await createDevice(att);
    const late = await download(att, { eid: device.eid, activationCode: esim.activationCode });
    expect(late.status).toBeGreaterThanOrEqual(400);
    expect(late.status).toBeLessThan(500);
    expect((await getEsim(att, esim.iccid)).state).toBe('unavailable');
    await expectCleanAudit(att);
  });

  it('answers 409 esim_already_cancelled to a second cancel', async () => {
    const esim = await activeEsim(att, TERM_PLAN);
    expect((await cancel(att, esim.iccid)).status).toBe(200);
    const again = await cancel(att, esim.iccid);
    expect(again.status).toBe(409);
    expect(await json(again)).toMatchObject({ code: 'esim_already_cancelled' });
    expect(await chargesFor(att, esim.iccid, 'fee')).toHaveLength(1);
    await expectCleanAudit(att);
  });

  it('charges the fee once when two cancels race each other', async () => {
    const esim = await activeEsim(att, TERM_PLAN);
    const answers = await Promise.all([cancel(att, esim.iccid), cancel(att, esim.iccid)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await chargesFor(att, esim.iccid, 'fee')).toMatchObject([{ status: 'captured' }]);
    await expectCleanAudit(att);
  });

  it('replays the stored answer for a retried Idempotency-Key, charging the fee once', async () => {
    const esim = await activeEsim(att, TERM_PLAN);
    const first = await cancel(att, esim.iccid, { key: 'cancel-1' });
    const retry = await cancel(att, esim.iccid, { key: 'cancel-1' });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await json(retry)).toEqual(await json(first));
    expect(await chargesFor(att, esim.iccid, 'fee')).toHaveLength(1);
  });

  it('refuses a body with fields, and a malformed ICCID, with 400, changing nothing', async () => {
    const esim = await activeEsim(att, TERM_PLAN);
    const withField = await cancel(att, esim.iccid, { body: { reason: 'moving abroad' } });
    expect(withField.status).toBe(400);
    expect(await json(withField)).toMatchObject({ code: 'invalid_request' });
    const badIccid = await cancel(att, '8901');
    expect(badIccid.status).toBe(400);
    expect((await getEsim(att, esim.iccid)).status).toBe('active');
    expect(await chargesFor(att, esim.iccid, 'fee')).toEqual([]);
  });

  it("answers 404 for another tenant's eSIM", async () => {
    const esim = await activeEsim(att, TERM_PLAN);
    const otherKey = await addTenant(att, 'cancel_other');
    const res = await att.api(`/v1/esims/${esim.iccid}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${otherKey}` },
    });
    expect(res.status).toBe(404);
    expect((await getEsim(att, esim.iccid)).status).toBe('active');
  });
});
