import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Esim, Plan } from '../../src/index.ts';
import { addonPlan, carrierClient, orderedEsim, uniqueId } from '../support/carriers.ts';

const client = carrierClient('att');
afterAll(() => client.close());

let esim: Esim;
let boost: Plan;
beforeAll(async () => {
  esim = await orderedEsim(client);
  boost = await addonPlan(client, 'boost');
});

describe('CarrierClient against a real carrier', () => {
  it('reads the carrier’s health and plans', async () => {
    expect(await client.health()).toEqual({ status: 'ok', carrier: 'att' });
    const plans = await client.plans();
    expect(plans.some((p) => p.kind === 'base')).toBe(true);
    expect(plans.find((p) => p.kind === 'addon')?.price).toMatchObject({ currency: 'USD' });
  });

  it('orders an eSIM once per Idempotency-Key', async () => {
    const key = uniqueId('order');
    const order = {
      planId: esim.planId,
      paymentMethod: 'pm_card_visa',
      subscriber: {
        name: 'Grace Hopper',
        email: 'grace@example.com',
        timeZone: 'America/New_York',
      },
    };
    const first = await client.createEsim(order, { idempotencyKey: key });
    const again = await client.createEsim(order, { idempotencyKey: key });
    expect(again.iccid).toBe(first.iccid);
    expect(first.activationCode).toMatch(/^LPA:1\$/);
  });

  it('reads an eSIM, its usage and its QR code', async () => {
    expect(await client.getEsim(esim.iccid)).toMatchObject({
      iccid: esim.iccid,
      planId: esim.planId,
    });
    expect(await client.usage(esim.iccid)).toMatchObject({ dataUsedBytes: 0 });
    const png = await client.esimQrPng(esim.iccid);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  it('pages through the tenant’s eSIMs with the cursor', async () => {
    await orderedEsim(client);
    const first = await client.listEsims({ limit: 1 });
    expect(first.data).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = await client.listEsims({ limit: 1, cursor: first.nextCursor ?? '' });
    expect(second.data[0]?.iccid).not.toBe(first.data[0]?.iccid);
  });

  it('downloads a profile to a simulated phone, without an API key', async () => {
    const fresh = await orderedEsim(client);
    const device = await client.sim.createDevice({
      location: { lat: 40.7128, lon: -74.006 },
      wifi: true,
    });
    const downloaded = await client.lpaDownload({
      eid: device.eid,
      activationCode: fresh.activationCode,
    });
    expect(downloaded.iccid).toBe(fresh.iccid);
    expect((await client.sim.getDevice(device.eid)).profiles.map((p) => p.iccid)).toContain(
      fresh.iccid,
    );
  });

  it('buys a top-up, says when an answer is a replay, and finds it again', async () => {
    const key = uniqueId('topup');
    const reference = uniqueId('ref');
    const request = { planId: boost.id, paymentMethod: 'pm_card_visa', clientReference: reference };
    const bought = await client.createTopup(esim.iccid, request, { idempotencyKey: key });
    expect(bought).toMatchObject({ httpStatus: 201, replayed: false, maxProcessingMs: 5000 });
    expect(bought.topup).toMatchObject({ status: 'succeeded', clientReference: reference });
    const replay = await client.createTopup(esim.iccid, request, { idempotencyKey: key });
    expect(replay).toMatchObject({ httpStatus: 201, replayed: true });
    expect(replay.topup.id).toBe(bought.topup.id);
    expect(client.maxProcessingMs).toBe(5000);

    expect(await client.getTopup(bought.topup.id)).toMatchObject({ id: bought.topup.id });
    const found = await client.listTopups(esim.iccid, { clientReference: reference });
    expect(found.map((t) => t.id)).toEqual([bought.topup.id]);
    expect((await client.listTopups(esim.iccid)).length).toBeGreaterThanOrEqual(1);
  });

  it("pages an eSIM's top-ups, newest first", async () => {
    // An eSIM of its own: no other test's purchases in its list.
    const fresh = await orderedEsim(client);
    const request = { planId: boost.id, paymentMethod: 'pm_card_visa' };
    for (let i = 0; i < 3; i++) {
      await client.createTopup(fresh.iccid, request, { idempotencyKey: uniqueId('paged') });
    }
    const whole = await client.listTopups(fresh.iccid);
    expect(whole).toHaveLength(3);
    const times = whole.map((t) => Date.parse(t.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await client.listTopupsPage(fresh.iccid, {
        limit: 2,
        ...(cursor === undefined ? {} : { cursor }),
      });
      seen.push(...page.data.map((t) => t.id));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(whole.map((t) => t.id));
    expect(await client.listTopupsPage(fresh.iccid)).toEqual({ data: whole, nextCursor: null });
  });

  it('updates and cancels an eSIM', async () => {
    const fresh = await orderedEsim(client);
    expect((await client.updateEsim(fresh.iccid, { autoRenew: false })).autoRenew).toBe(false);
    const cancelled = await client.cancelEsim(fresh.iccid, { idempotencyKey: uniqueId('cancel') });
    expect(cancelled).toMatchObject({ iccid: fresh.iccid, status: 'cancelled' });
  });

  it('answers coverage questions', async () => {
    const coverage = await client.coverage({ lat: 40.7128, lon: -74.006 });
    expect(['none', 'weak', 'good']).toContain(coverage.signal);
    expect(coverage.region).toEqual(expect.any(String));
  });

  it('manages webhook endpoints', async () => {
    const created = await client.createWebhookEndpoint({
      url: 'http://127.0.0.1:9/never',
      events: ['topup.succeeded'],
    });
    expect(created.secret).toMatch(/^whsec_/);
    expect((await client.listWebhookEndpoints()).map((e) => e.id)).toContain(created.id);
    expect(await client.webhookDeliveries(created.id)).toEqual([]);
    expect(await client.webhookDeliveryPage(created.id, { limit: 5 })).toEqual({
      data: [],
      nextCursor: null,
    });
    await client.deleteWebhookEndpoint(created.id);
    expect((await client.listWebhookEndpoints()).map((e) => e.id)).not.toContain(created.id);
  });

  it('fetches the carrier’s OpenAPI document', async () => {
    const doc = await client.openapi();
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(Object.keys(doc.paths)).toContain('/v1/esims/{iccid}/topups');
  });
});
