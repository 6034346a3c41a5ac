import { HOUR_MS, MINUTE_MS, toIso } from '@esimlab/domain';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import {
  activeEsim,
  advance,
  advanceTo,
  chargesFor,
  clockNow,
  expectCleanAudit,
  getEsim,
  journal,
  type LooseJson,
  ledgerEntries,
  patchEsim,
  periodEnd,
  planById,
} from './renewal-fixtures.ts';

const PLAN = 'att-unlimited-starter';

let att: TestCarrier;
beforeEach(async () => {
  att = await startTestCarrier({ carrier: 'att', seed: 41 });
});
afterEach(() => att.close());

/** An active eSIM whose renewal will be declined, and when its first period ends. */
async function decliningEsim(): Promise<{ iccid: string; lapse: number }> {
  const esim = await activeEsim(att, PLAN);
  const res = await patchEsim(att, esim.iccid, { paymentMethod: 'pm_card_chargeDeclined' });
  expect(res.status).toBe(200);
  return { iccid: esim.iccid, lapse: Date.parse(esim.balance.expiresAt) };
}

const eventsOf = (iccid: string, type: string) => journal(att, { iccid, type });

describe('auto-renewal at the end of a period', () => {
  it('renews once at expiry however the clock crosses it: new base bucket, captured renewal charge, next expiry', async () => {
    const plan = await planById(att, PLAN);
    const esim = await activeEsim(att, PLAN);
    const lapse = Date.parse(esim.balance.expiresAt);

    await advanceTo(att, lapse - HOUR_MS);
    expect(await chargesFor(att, esim.iccid, 'renewal')).toEqual([]);
    await advanceTo(att, lapse + HOUR_MS);
    await advance(att, 'P1D');
    await advance(att, 'PT1M');

    const charges = await chargesFor(att, esim.iccid, 'renewal');
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ status: 'captured', amount: plan.price });
    const renewalId = charges[0].purpose.ref;
    expect(renewalId).toMatch(/^rn_/);

    const next = periodEnd(lapse, plan.validityDays);
    expect(await getEsim(att, esim.iccid)).toMatchObject({
      status: 'active',
      balance: { expiresAt: toIso(next), dataRemainingBytes: plan.dataBytes },
    });
    const credit = (await ledgerEntries(att, esim.iccid)).find(
      (e) => e.type === 'data_credited' && e.source.kind === 'renewal',
    );
    // The new period starts exactly where the old one ended: no gap in service.
    expect(credit).toMatchObject({
      at: lapse,
      bucket: 'base',
      bytes: plan.dataBytes,
      expiresAt: next,
      source: { kind: 'renewal', ref: renewalId },
    });
    expect(await eventsOf(esim.iccid, 'plan.renewed')).toHaveLength(1);
    expect(await eventsOf(esim.iccid, 'esim.expired')).toEqual([]);
    await expectCleanAudit(att);
  });

  it('renews each period once when one advance spans several periods', async () => {
    const plan = await planById(att, PLAN);
    const esim = await activeEsim(att, PLAN);
    const first = Date.parse(esim.balance.expiresAt);
    const second = periodEnd(first, plan.validityDays);
    const third = periodEnd(second, plan.validityDays);

    await advanceTo(att, third + MINUTE_MS);

    const charges = await chargesFor(att, esim.iccid, 'renewal');
    expect(charges.map((c: LooseJson) => c.status)).toEqual(['captured', 'captured', 'captured']);
    const starts = (await ledgerEntries(att, esim.iccid))
      .filter((e) => e.type === 'data_credited' && e.source.kind === 'renewal')
      .map((e) => e.at);
    expect(starts).toEqual([first, second, third]);
    expect((await getEsim(att, esim.iccid)).balance.expiresAt).toBe(
      toIso(periodEnd(third, plan.validityDays)),
    );
    await expectCleanAudit(att);
  });

  it('lets a plan with auto-renewal turned off expire, charging nothing', async () => {
    const esim = await activeEsim(att, PLAN);
    const off = await patchEsim(att, esim.iccid, { autoRenew: false });
    expect(off.status).toBe(200);
    await advanceTo(att, Date.parse(esim.balance.expiresAt) + MINUTE_MS);

    expect(await getEsim(att, esim.iccid)).toMatchObject({
      status: 'expired',
      autoRenew: false,
      balance: { dataRemainingBytes: 0, expiresAt: null },
    });
    expect(await chargesFor(att, esim.iccid, 'renewal')).toEqual([]);
    expect(await eventsOf(esim.iccid, 'esim.expired')).toHaveLength(1);
    await expectCleanAudit(att);
  });
});

describe('a declined renewal', () => {
  it('puts the eSIM in grace without data, retries daily, and suspends it after 3 days', async () => {
    const { iccid, lapse } = await decliningEsim();
    const graceUntil = periodEnd(lapse, 3);

    await advanceTo(att, lapse + MINUTE_MS);
    expect(await getEsim(att, iccid)).toMatchObject({
      status: 'grace',
      balance: { dataRemainingBytes: 0, expiresAt: null },
    });
    const [failed] = await eventsOf(iccid, 'plan.renewal_failed');
    expect(failed.data).toMatchObject({
      failureCode: 'card_declined',
      status: 'grace',
      graceUntil: toIso(graceUntil),
      attempt: 1,
    });

    for (const day of [1, 2]) {
      await advanceTo(att, periodEnd(lapse, day) + MINUTE_MS);
      expect((await getEsim(att, iccid)).status).toBe('grace');
      expect(await eventsOf(iccid, 'plan.renewal_failed')).toHaveLength(1 + day);
    }
    await advanceTo(att, graceUntil + MINUTE_MS);
    expect((await getEsim(att, iccid)).status).toBe('suspended');
    expect(await eventsOf(iccid, 'plan.renewal_failed')).toHaveLength(4);
    expect(await eventsOf(iccid, 'esim.suspended')).toHaveLength(1);

    await advance(att, 'P2D');
    expect((await getEsim(att, iccid)).status).toBe('suspended');
    expect(await eventsOf(iccid, 'plan.renewal_failed')).toHaveLength(4);
    // A declined payment holds nothing at the gateway.
    expect(await chargesFor(att, iccid, 'renewal')).toEqual([]);
    await expectCleanAudit(att);
  });

  it('is retried at once when the payment method is fixed in grace, and the plan continues its period', async () => {
    const plan = await planById(att, PLAN);
    const { iccid, lapse } = await decliningEsim();
    await advanceTo(att, lapse + HOUR_MS);
    expect((await getEsim(att, iccid)).status).toBe('grace');

    const res = await patchEsim(att, iccid, { paymentMethod: 'pm_card_visa' });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({
      status: 'active',
      balance: { dataRemainingBytes: plan.dataBytes, expiresAt: toIso(periodEnd(lapse, 30)) },
    });
    const charges = await chargesFor(att, iccid, 'renewal');
    expect(charges).toMatchObject([{ status: 'captured', amount: plan.price }]);

    // No retry is left over for the days of grace that did not happen.
    await advanceTo(att, periodEnd(lapse, 3) + MINUTE_MS);
    expect(await chargesFor(att, iccid, 'renewal')).toHaveLength(1);
    expect(await eventsOf(iccid, 'plan.renewal_failed')).toHaveLength(1);
    expect(await eventsOf(iccid, 'plan.renewed')).toHaveLength(1);
    expect((await getEsim(att, iccid)).status).toBe('active');
    await expectCleanAudit(att);
  });

  it('renews once when two payment-method fixes race each other', async () => {
    const { iccid, lapse } = await decliningEsim();
    await advanceTo(att, lapse + MINUTE_MS);
    const answers = await Promise.all(
      [1, 2].map(() => patchEsim(att, iccid, { paymentMethod: 'pm_card_visa' })),
    );
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    expect(await chargesFor(att, iccid, 'renewal')).toMatchObject([{ status: 'captured' }]);
    expect(await eventsOf(iccid, 'plan.renewed')).toHaveLength(1);
    await expectCleanAudit(att);
  });

  it('is paid as a new period from today when the payment method is fixed after suspension', async () => {
    const plan = await planById(att, PLAN);
    const { iccid, lapse } = await decliningEsim();
    await advanceTo(att, lapse + MINUTE_MS);
    await advanceTo(att, periodEnd(lapse, 3) + MINUTE_MS);
    expect((await getEsim(att, iccid)).status).toBe('suspended');
    await advance(att, 'P5D');

    const res = await patchEsim(att, iccid, { paymentMethod: 'pm_paypal' });
    expect(res.status).toBe(200);
    const now = await clockNow(att);
    expect(await json(res)).toMatchObject({
      status: 'active',
      balance: { dataRemainingBytes: plan.dataBytes, expiresAt: toIso(periodEnd(now, 30)) },
    });
    expect(await chargesFor(att, iccid, 'renewal')).toMatchObject([{ status: 'captured' }]);
    await expectCleanAudit(att);
  });

  it('stays in grace when the new payment method is declined too', async () => {
    const { iccid, lapse } = await decliningEsim();
    await advanceTo(att, lapse + MINUTE_MS);
    const res = await patchEsim(att, iccid, { paymentMethod: 'pm_card_insufficientFunds' });
    expect(res.status).toBe(200);
    expect((await json(res)).status).toBe('grace');
    const failures = await eventsOf(iccid, 'plan.renewal_failed');
    expect(failures.map((e: LooseJson) => e.data.failureCode)).toEqual([
      'card_declined',
      'insufficient_funds',
    ]);
    await expectCleanAudit(att);
  });

  it('ends in expiry, without more retries, when auto-renewal is turned off in grace', async () => {
    const { iccid, lapse } = await decliningEsim();
    await advanceTo(att, lapse + MINUTE_MS);
    const res = await patchEsim(att, iccid, { autoRenew: false });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ status: 'expired', autoRenew: false });

    await advanceTo(att, periodEnd(lapse, 4));
    expect((await getEsim(att, iccid)).status).toBe('expired');
    expect(await eventsOf(iccid, 'plan.renewal_failed')).toHaveLength(1);
    expect(await eventsOf(iccid, 'esim.suspended')).toEqual([]);
  });
});
