import {
  carrierProfiles,
  deriveBalance,
  generateIccid,
  type LedgerEntry,
  seededRandom,
} from '@esimlab/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basePlan, sim } from '../devices/device-fixtures.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import { activatedEsim, addon, type LooseJson, topup } from '../topups/topup-fixtures.ts';

// An activated dev eSIM that bought a boost and used some data, and another tenant's eSIM
// that was only ordered.
let att: TestCarrier;
let devIccid: string;
let acmeIccid: string;
let boughtTopup: LooseJson;
beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att' });
  const { esim, device } = await activatedEsim(att);
  devIccid = esim.iccid;
  const boost = await addon(att, 'boost');
  boughtTopup = await json(
    await topup(att, devIccid, { planId: boost.id, paymentMethod: 'pm_card_visa' }, 'boost-1'),
  );
  const used = await sim(att, `/_sim/devices/${device.eid}/usage`, {
    method: 'POST',
    json: { bytes: 1_000_000 },
  });
  if (used.status !== 200) throw new Error(`usage: ${used.status} ${await used.text()}`);

  const acme = await json(
    await sim(att, '/_sim/tenants', { method: 'POST', json: { name: 'acme' } }),
  );
  const asAcme = { headers: { authorization: `Bearer ${acme.apiKey}` } };
  const plan = await basePlan(att, false);
  const res = await att.api('/v1/esims', {
    ...asAcme,
    method: 'POST',
    json: {
      planId: plan.id,
      paymentMethod: 'pm_card_visa',
      subscriber: { name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'America/Chicago' },
    },
  });
  if (res.status !== 201) throw new Error(`acme order: ${res.status} ${await res.text()}`);
  acmeIccid = (await json(res)).iccid;
});
afterAll(() => att.close());

const ledgerOf = async (query = ''): Promise<LooseJson[]> => {
  const res = await sim(att, `/_sim/ledger${query}`);
  expect(res.status).toBe(200);
  return (await json(res)).data;
};

/** An entry as the domain holds it: times back in epoch milliseconds. */
const fromView = (entry: LooseJson): LedgerEntry => ({
  ...entry,
  at: Date.parse(entry.at),
  ...(entry.type === 'data_credited' ? { expiresAt: Date.parse(entry.expiresAt) } : {}),
});

describe('GET /_sim/ledger', () => {
  it("lists every tenant's entries in append order, with ISO 8601 times", async () => {
    const entries = await ledgerOf();
    expect(new Set(entries.map((e) => e.iccid))).toEqual(new Set([devIccid, acmeIccid]));
    const dev = entries.filter((e) => e.iccid === devIccid).map((e) => e.type);
    // The order is authorised, credited when the profile is enabled, then captured; then the
    // boost goes through the same saga, then the phone uses data.
    expect(dev[0]).toBe('charge_authorized');
    expect(dev.slice(-1)).toEqual(['data_consumed']);
    expect(dev.filter((t) => t === 'charge_captured')).toHaveLength(2);
    expect(entries.filter((e) => e.iccid === acmeIccid).map((e) => e.type)).toEqual([
      'charge_authorized',
    ]);
    for (const entry of entries) expect(entry.at).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
    const credit = entries.find((e) => e.type === 'data_credited' && e.source.kind === 'topup');
    expect(credit).toMatchObject({ source: { ref: boughtTopup.id }, iccid: devIccid });
    expect(Date.parse(credit.expiresAt)).toBeGreaterThan(Date.parse(credit.at));
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
  });

  it('filters by ICCID, keeping the order', async () => {
    const all = await ledgerOf();
    const dev = await ledgerOf(`?iccid=${devIccid}`);
    expect(dev).toEqual(all.filter((e) => e.iccid === devIccid));
    expect(await ledgerOf(`?iccid=${acmeIccid}`)).toHaveLength(1);
    const stranger = generateIccid(seededRandom(7), { issuerId: '410' });
    expect(await ledgerOf(`?iccid=${stranger}`)).toEqual([]);
  });

  it("holds what the carrier's balance is derived from", async () => {
    const entries = (await ledgerOf(`?iccid=${devIccid}`)).map(fromView);
    const now = Date.parse((await json(await sim(att, '/_sim/clock'))).now);
    const derived = deriveBalance(entries, {
      at: now,
      consumptionOrder: carrierProfiles.att.dataRules.consumptionOrder,
    });
    const usage = await json(await att.api(`/v1/esims/${devIccid}/usage`));
    expect(usage.dataUsedBytes).toBe(1_000_000);
    expect(derived.dataUsedBytes).toBe(usage.dataUsedBytes);
    expect(derived.dataRemainingBytes).toBe(usage.dataRemainingBytes);
  });

  it('refuses a malformed ICCID or an unknown filter, naming the parameter', async () => {
    for (const [query, field] of [
      ['?iccid=12345', 'query.iccid'],
      ['?tenant=dev', 'query'],
    ] as const) {
      const res = await sim(att, `/_sim/ledger${query}`);
      expect(res.status).toBe(400);
      const problem = await json(res);
      expect(problem.code).toBe('invalid_request');
      expect(problem.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
  });

  it('needs the admin token when the carrier has one', async () => {
    const guarded = await startTestCarrier({ carrier: 'att', adminToken: 'let-me-in' });
    try {
      expect((await fetch(`${guarded.baseUrl}/_sim/ledger`)).status).toBe(401);
      const res = await fetch(`${guarded.baseUrl}/_sim/ledger`, {
        headers: { 'x-sim-admin-token': 'let-me-in' },
      });
      expect(res.status).toBe(200);
      expect((await json(res)).data).toEqual([]);
    } finally {
      await guarded.close();
    }
  });
});
