import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import {
  activatedEsim,
  addon,
  auditOf,
  type LooseJson,
  remainingBytes,
  topup,
  topupCharges,
} from './topup-fixtures.ts';

let att: TestCarrier;
let iccid: string;
let boost: LooseJson;
beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att' });
  iccid = (await activatedEsim(att)).esim.iccid;
  boost = await addon(att, 'boost');
});
afterAll(() => att.close());

const body = () => ({ planId: boost.id, paymentMethod: 'pm_card_visa' });

describe('top-ups in the idempotent style (att)', () => {
  it('requires an Idempotency-Key and stores nothing without one', async () => {
    const res = await topup(att, iccid, body());
    expect(res.status).toBe(400);
    expect((await json(res)).code).toBe('idempotency_key_required');
    expect(await topupCharges(att, iccid)).toEqual([]);
  });

  it('credits the add-on and captures its charge exactly once', async () => {
    const before = await remainingBytes(att, iccid);
    const res = await topup(att, iccid, body(), 'buy-1');
    expect(res.status).toBe(201);
    const created = await json(res);
    expect(created).toMatchObject({
      iccid,
      planId: boost.id,
      status: 'succeeded',
      amount: boost.price,
    });
    expect(await remainingBytes(att, iccid)).toBe(before + created.dataBytes + created.bonusBytes);
    const charges = await topupCharges(att, iccid);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ id: created.chargeId, status: 'captured' });
  });

  it('replays the stored response for a retried key, charging nothing more', async () => {
    const first = await json(await topup(att, iccid, body(), 'buy-2'));
    const retry = await topup(att, iccid, body(), 'buy-2');
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await json(retry)).toEqual(first);
    expect((await topupCharges(att, iccid)).filter((c) => c.purpose.ref === first.id)).toHaveLength(
      1,
    );
  });

  it('refuses the same key with a different body', async () => {
    await topup(att, iccid, body(), 'buy-3');
    const res = await topup(att, iccid, { ...body(), paymentMethod: 'pm_paypal' }, 'buy-3');
    expect(res.status).toBe(422);
    expect((await json(res)).code).toBe('idempotency_key_reused');
  });

  it('charges once for 50 concurrent requests with one key', async () => {
    const before = (await topupCharges(att, iccid)).length;
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => topup(att, iccid, body(), 'double-tap')),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    for (const r of responses.filter((r) => r.status === 409)) {
      expect((await json(r)).code).toBe('idempotency_key_in_use');
    }
    expect((await topupCharges(att, iccid)).length).toBe(before + 1);
    expect((await auditOf(att)).ok).toBe(true);
  });

  it('records a declined top-up as failed, with no charge', async () => {
    const before = (await topupCharges(att, iccid)).length;
    const res = await topup(
      att,
      iccid,
      { ...body(), paymentMethod: 'pm_card_chargeDeclined' },
      'declined',
    );
    expect(res.status).toBe(402);
    const problem = await json(res);
    expect(problem.code).toBe('card_declined');
    // The answer stored under the key is a problem document, replayed as one.
    const replay = await topup(
      att,
      iccid,
      { ...body(), paymentMethod: 'pm_card_chargeDeclined' },
      'declined',
    );
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    for (const answer of [res, replay]) {
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect(await json(replay)).toEqual(problem);
    const failed = await json(await att.api(`/v1/topups/${problem.topupId}`));
    expect(failed).toMatchObject({
      status: 'failed',
      failureCode: 'card_declined',
      chargeId: null,
    });
    expect((await topupCharges(att, iccid)).length).toBe(before);
  });

  it('allows one active pass at a time where the carrier says so', async () => {
    const pass = await addon(att, 'pass');
    const first = await topup(
      att,
      iccid,
      { planId: pass.id, paymentMethod: 'pm_card_visa' },
      'pass-1',
    );
    expect(first.status).toBe(201);
    const second = await topup(
      att,
      iccid,
      { planId: pass.id, paymentMethod: 'pm_card_visa' },
      'pass-2',
    );
    expect(second.status).toBe(409);
    expect((await json(second)).code).toBe('pass_already_active');
    const { data } = await json(await att.api(`/v1/esims/${iccid}/topups`));
    expect(data.filter((t: { planId: string }) => t.planId === pass.id)).toHaveLength(1);
  });

  it("refuses a base plan or another carrier's add-on as a top-up", async () => {
    for (const planId of ['att-unlimited-starter', 'tmobile-boost-5gb']) {
      const res = await topup(
        att,
        iccid,
        { planId, paymentMethod: 'pm_card_visa' },
        `wrong-${planId}`,
      );
      expect(res.status).toBe(422);
      expect((await json(res)).code).toBe('plan_not_found');
    }
  });

  it('keeps the audit clean', async () => {
    const report = await auditOf(att);
    expect(report.violations).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
