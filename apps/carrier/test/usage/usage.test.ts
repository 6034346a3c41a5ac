import { DAY_MS, deriveBalance } from '@esimlab/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendLedger, ledgerOf } from '../../src/features/ledger/esim-ledger.ts';
import {
  activatedEsim,
  createDevice,
  journal,
  type LooseJson,
  places,
  sim,
} from '../devices/device-fixtures.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';

let att: TestCarrier;
beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att' });
});
afterAll(() => att.close());

const use = (eid: string, body: unknown) =>
  sim(att, `/_sim/devices/${eid}/usage`, { method: 'POST', json: body });

/** Adds an add-on bucket straight to the ledger (top-ups are another feature's job). */
async function creditBucket(iccid: string, bucket: 'pass' | 'boost', bytes: number, days: number) {
  const context = att.carrier.context;
  const at = context.clock.now();
  await att.store.transaction((tx) =>
    appendLedger(tx, context, [
      {
        type: 'data_credited',
        at,
        iccid,
        bucketId: `bkt_test_${bucket}_${iccid}`,
        bucket,
        bytes,
        expiresAt: at + days * DAY_MS,
        source: { kind: 'promotion', ref: `test-${bucket}-${iccid}` },
      },
    ]),
  );
}

/** Bytes left per bucket kind, derived from the stored ledger. */
async function bucketsOf(iccid: string): Promise<Record<string, number>> {
  const context = att.carrier.context;
  const entries = await att.store.transaction((tx) => ledgerOf(tx, iccid));
  const balance = deriveBalance(entries, {
    at: context.clock.now(),
    consumptionOrder: context.profile.dataRules.consumptionOrder,
  });
  return Object.fromEntries(balance.buckets.map((b) => [b.bucket, b.remainingBytes]));
}

describe('POST /_sim/devices/{eid}/usage', () => {
  it('drains buckets in the carrier order, never more than is left, then throttles', async () => {
    const { device, esim, plan } = await activatedEsim(att);
    await creditBucket(esim.iccid, 'pass', 1_000_000, 1);
    await creditBucket(esim.iccid, 'boost', 2_000_000, 30);

    const first = await use(device.eid, { bytes: 1_500_000 });
    expect(first.status).toBe(200);
    expect(await json(first)).toEqual({
      iccid: esim.iccid,
      requestedBytes: 1_500_000,
      consumedBytes: 1_500_000,
      dataRemainingBytes: plan.dataBytes + 1_500_000,
      dataUsedBytes: 1_500_000,
      throttled: false,
    });
    // AT&T drains the pass before the base allowance, and boosts last.
    expect(await bucketsOf(esim.iccid)).toEqual({
      pass: 0,
      base: plan.dataBytes - 500_000,
      boost: 2_000_000,
    });

    const rest = await use(device.eid, { bytes: plan.dataBytes * 2 });
    expect(await json(rest)).toEqual({
      iccid: esim.iccid,
      requestedBytes: plan.dataBytes * 2,
      consumedBytes: plan.dataBytes + 1_500_000,
      dataRemainingBytes: 0,
      dataUsedBytes: plan.dataBytes + 3_000_000,
      throttled: true,
    });
    expect(await bucketsOf(esim.iccid)).toEqual({ pass: 0, base: 0, boost: 0 });

    const throttled = await use(device.eid, { bytes: 10 });
    expect(await json(throttled)).toMatchObject({ consumedBytes: 0, throttled: true });
    expect(await json(await att.api(`/v1/esims/${esim.iccid}/usage`))).toEqual({
      dataUsedBytes: plan.dataBytes + 3_000_000,
      dataRemainingBytes: 0,
      throttled: true,
    });
  });

  it('journals the 75 % and 90 % crossings and depletion exactly once', async () => {
    const { device, esim, plan } = await activatedEsim(att);
    const credited = plan.dataBytes;
    const usageEvents = async () =>
      (await journal(att, { iccid: esim.iccid }))
        .filter((e: LooseJson) => e.type === 'usage.threshold' || e.type === 'usage.depleted')
        .map((e: LooseJson) => (e.type === 'usage.threshold' ? `${e.data.percent}%` : 'depleted'));

    await use(device.eid, { bytes: Math.floor(credited * 0.74) });
    expect(await usageEvents()).toEqual([]);
    await use(device.eid, { bytes: Math.floor(credited * 0.02) });
    expect(await usageEvents()).toEqual(['75%']);
    await use(device.eid, { bytes: 1_000 });
    expect(await usageEvents()).toEqual(['75%']);
    await use(device.eid, { bytes: credited });
    expect(await usageEvents()).toEqual(['75%', '90%', 'depleted']);
    await use(device.eid, { bytes: 1_000 });
    expect(await usageEvents()).toEqual(['75%', '90%', 'depleted']);
  });

  it('consumes nothing without a cellular signal, even on wifi', async () => {
    const { device, esim } = await activatedEsim(att);
    await sim(att, `/_sim/devices/${device.eid}`, {
      method: 'PATCH',
      json: { location: places.greenBank, wifi: true },
    });
    const res = await use(device.eid, { bytes: 5_000 });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('30');
    expect((await json(res)).code).toBe('network_unreachable');
    expect((await json(await att.api(`/v1/esims/${esim.iccid}/usage`))).dataUsedBytes).toBe(0);

    await sim(att, `/_sim/devices/${device.eid}`, {
      method: 'PATCH',
      json: { location: places.ruralKansas },
    });
    expect(await json(await use(device.eid, { bytes: 5_000 }))).toMatchObject({
      consumedBytes: 5_000,
    });
  });

  it('needs an enabled profile', async () => {
    const empty = await createDevice(att);
    const none = await use(empty.eid, { bytes: 1 });
    expect(none.status).toBe(409);
    expect((await json(none)).code).toBe('no_active_profile');

    const { device, esim } = await activatedEsim(att);
    await sim(att, `/_sim/devices/${device.eid}/profiles/${esim.iccid}/disable`, {
      method: 'POST',
    });
    const disabled = await use(device.eid, { bytes: 1 });
    expect(disabled.status).toBe(409);
    expect((await json(disabled)).code).toBe('no_active_profile');
  });

  it('answers 404 for an unknown device', async () => {
    const res = await use('89882119900000000000000000001654', { bytes: 1 });
    expect(res.status).toBe(404);
    expect((await json(res)).code).toBe('device_not_found');
  });

  it.each([
    [{ bytes: 0 }],
    [{ bytes: -1 }],
    [{ bytes: 1.5 }],
    [{ bytes: '10' }],
    [{}],
    [{ bytes: 1, mb: 2 }],
  ])('refuses %j with a 400', async (body) => {
    const device = await createDevice(att);
    const res = await use(device.eid, body);
    expect(res.status).toBe(400);
    expect((await json(res)).code).toBe('invalid_request');
  });
});
