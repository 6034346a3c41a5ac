import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancel, expectCleanAudit, journal } from '../renewals/renewal-fixtures.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import {
  activatedEsim,
  addon,
  auditOf,
  type LooseJson,
  remainingBytes,
  sim,
  topup,
  topupCharges,
} from './topup-fixtures.ts';

let verizon: TestCarrier;
let iccid: string;
let boost: LooseJson;
beforeAll(async () => {
  verizon = await startTestCarrier({ carrier: 'verizon' });
  iccid = (await activatedEsim(verizon)).esim.iccid;
  boost = await addon(verizon, 'boost');
});
afterAll(() => verizon.close());

const body = () => ({ planId: boost.id, paymentMethod: 'pm_card_visa' });
const getTopup = async (id: string): Promise<LooseJson> =>
  json(await verizon.api(`/v1/topups/${id}`));

/** Runs `check` with top-ups completing 10 minutes after they are accepted, then restores 1 s. */
async function withLateCompletion(check: () => Promise<void>): Promise<void> {
  await sim(verizon, '/_sim/config', { method: 'PATCH', json: { asyncCompletionMs: 600_000 } });
  try {
    await check();
  } finally {
    await sim(verizon, '/_sim/config', { method: 'PATCH', json: { asyncCompletionMs: 1000 } });
  }
}

describe('top-ups in the async style (verizon)', () => {
  it('requires an Idempotency-Key', async () => {
    const res = await topup(verizon, iccid, body());
    expect(res.status).toBe(400);
    expect((await json(res)).code).toBe('idempotency_key_required');
  });

  it('accepts with 202 pending, holds the charge, and completes after about a second', async () => {
    const before = await remainingBytes(verizon, iccid);
    const res = await topup(verizon, iccid, body(), 'async-1');
    expect(res.status).toBe(202);
    const accepted = await json(res);
    expect(accepted).toMatchObject({ status: 'pending', completedAt: null });
    const [charge] = (await topupCharges(verizon, iccid)).filter(
      (c) => c.purpose.ref === accepted.id,
    );
    expect(charge.status).toBe('authorized');
    expect(await remainingBytes(verizon, iccid)).toBe(before);

    let done = await getTopup(accepted.id);
    for (let i = 0; i < 40 && done.status === 'pending'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      done = await getTopup(accepted.id);
    }
    expect(done.status).toBe('succeeded');
    expect(await remainingBytes(verizon, iccid)).toBe(before + done.dataBytes + done.bonusBytes);
  });

  it('completes at once when the clock advances past the due time', async () => {
    await sim(verizon, '/_sim/config', { method: 'PATCH', json: { asyncCompletionMs: 600_000 } });
    const accepted = await json(await topup(verizon, iccid, body(), 'async-2'));
    expect(accepted.status).toBe('pending');
    const advance = await sim(verizon, '/_sim/clock/advance', {
      method: 'POST',
      json: { by: 'PT11M' },
    });
    expect(advance.status).toBe(200);
    expect((await getTopup(accepted.id)).status).toBe('succeeded');
    await sim(verizon, '/_sim/config', { method: 'PATCH', json: { asyncCompletionMs: 1000 } });
  });

  it('replays the 202 for a retried key while pending, and never charges twice', async () => {
    await sim(verizon, '/_sim/config', { method: 'PATCH', json: { asyncCompletionMs: 600_000 } });
    const first = await json(await topup(verizon, iccid, body(), 'async-3'));
    const retry = await topup(verizon, iccid, body(), 'async-3');
    expect(retry.status).toBe(202);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect((await json(retry)).id).toBe(first.id);
    await sim(verizon, '/_sim/clock/advance', { method: 'POST', json: { by: 'PT11M' } });
    const charges = (await topupCharges(verizon, iccid)).filter((c) => c.purpose.ref === first.id);
    expect(charges.map((c) => c.status)).toEqual(['captured']);
    expect((await auditOf(verizon)).ok).toBe(true);
    await sim(verizon, '/_sim/config', { method: 'PATCH', json: { asyncCompletionMs: 1000 } });
  });

  it('voids a pending top-up whose eSIM was cancelled before it fell due, and replays its 202', () =>
    withLateCompletion(async () => {
      const doomed = (await activatedEsim(verizon)).esim.iccid;
      const accepted = await json(await topup(verizon, doomed, body(), 'async-cancelled'));
      expect((await cancel(verizon, doomed)).status).toBe(200);

      await sim(verizon, '/_sim/clock/advance', { method: 'POST', json: { by: 'PT11M' } });

      expect(await getTopup(accepted.id)).toMatchObject({
        status: 'failed',
        failureCode: 'esim_cancelled',
        completedAt: expect.any(String),
      });
      const [charge] = (await topupCharges(verizon, doomed)).filter(
        (c) => c.purpose.ref === accepted.id,
      );
      expect(charge.status).toBe('voided');
      expect(await journal(verizon, { iccid: doomed, type: 'topup.failed' })).toMatchObject([
        { data: { topupId: accepted.id } },
      ]);
      const retry = await topup(verizon, doomed, body(), 'async-cancelled');
      expect(retry.status).toBe(202);
      expect((await json(retry)).id).toBe(accepted.id);
      await expectCleanAudit(verizon);
    }));

  it('credits the first of two passes accepted together and voids the second: one pass at a time', () =>
    withLateCompletion(async () => {
      const pass = await addon(verizon, 'pass');
      const owner = (await activatedEsim(verizon)).esim.iccid;
      const order = { planId: pass.id, paymentMethod: 'pm_card_visa' };
      const first = await json(await topup(verizon, owner, order, 'async-pass-1'));
      // A second apart, so that they fall due in this order.
      await sim(verizon, '/_sim/clock/advance', { method: 'POST', json: { by: 'PT1S' } });
      const second = await json(await topup(verizon, owner, order, 'async-pass-2'));
      expect([first.status, second.status]).toEqual(['pending', 'pending']);

      await sim(verizon, '/_sim/clock/advance', { method: 'POST', json: { by: 'PT11M' } });

      expect((await getTopup(first.id)).status).toBe('succeeded');
      expect(await getTopup(second.id)).toMatchObject({
        status: 'failed',
        failureCode: 'pass_already_active',
      });
      const statuses = Object.fromEntries(
        (await topupCharges(verizon, owner)).map((c) => [c.purpose.ref, c.status]),
      );
      expect(statuses).toEqual({ [first.id]: 'captured', [second.id]: 'voided' });
      const credits = await journal(verizon, { iccid: owner, type: 'topup.credited' });
      expect(credits.map((event) => event.data.topupId)).toEqual([first.id]);
      await expectCleanAudit(verizon);
    }));

  it('shows the duplicate a naive client makes by retrying with a fresh key', async () => {
    const purchase = { ...body(), clientReference: 'naive-async' };
    expect((await topup(verizon, iccid, purchase, 'naive-a')).status).toBe(202);
    expect((await topup(verizon, iccid, purchase, 'naive-b')).status).toBe(202);
    await sim(verizon, '/_sim/clock/advance', { method: 'POST', json: { by: 'PT1M' } });
    const report = await auditOf(verizon);
    expect(report.ok).toBe(false);
    expect(report.counts.duplicate_charge).toBe(1);
  });
});
