import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CarrierClient, CarrierProblemError } from '../../src/index.ts';
import { orderedEsim, type PrivateCarrier, startPrivateCarrier } from '../support/carriers.ts';

const ADMIN_TOKEN = 'admin-token-for-tests';
let carrier: PrivateCarrier;
let client: CarrierClient;
beforeAll(async () => {
  carrier = await startPrivateCarrier('tmobile', { adminToken: ADMIN_TOKEN });
  client = new CarrierClient({ baseUrl: carrier.url, adminToken: ADMIN_TOKEN });
});
afterAll(async () => {
  client.close();
  await carrier.stop();
});

describe('SimClient (the control plane) against a carrier of its own', () => {
  it('sends the admin token, without which the control plane refuses', async () => {
    const anonymous = new CarrierClient({ baseUrl: carrier.url });
    await expect(anonymous.sim.getConfig()).rejects.toThrow(CarrierProblemError);
    await expect(anonymous.sim.getConfig()).rejects.toMatchObject({ status: 401 });
    anonymous.close();
    expect(await client.sim.getConfig()).toMatchObject({
      carrier: 'tmobile',
      adminTokenRequired: true,
    });
  });

  it('switches the API style and back', async () => {
    expect((await client.sim.updateConfig({ apiStyle: 'idempotent' })).apiStyle).toBe('idempotent');
    expect((await client.sim.updateConfig({ apiStyle: 'reference' })).apiStyle).toBe('reference');
  });

  it('seeds the same data from the same seed, and resets', async () => {
    const first = await client.sim.seed({ seed: 7, subscribers: 2 });
    const again = await client.sim.seed({ seed: 7, subscribers: 2 });
    expect(first.subscribers).toHaveLength(2);
    expect(again).toEqual(first);
    await client.sim.reset();
    expect((await client.listEsims()).data).toEqual([]);
  });

  it('moves the clock forward', async () => {
    const before = await client.sim.clock();
    const after = await client.sim.advanceClock({ by: 'P1D' });
    expect(after.offsetMs - before.offsetMs).toBe(86_400_000);
  });

  it('drives a simulated phone: move it, enable its profile, use data', async () => {
    const esim = await orderedEsim(client);
    const device = await client.sim.createDevice({
      location: { lat: 40.7128, lon: -74.006 },
      wifi: false,
    });
    expect((await client.sim.listDevices()).map((d) => d.eid)).toContain(device.eid);
    expect((await client.sim.updateDevice(device.eid, { wifi: true })).wifi).toBe(true);
    await client.lpaDownload({ eid: device.eid, activationCode: esim.activationCode });
    const disabled = await client.sim.profileAction(device.eid, esim.iccid, 'disable');
    expect(disabled.state).toBe('disabled');
    expect((await client.sim.profileAction(device.eid, esim.iccid, 'enable')).state).toBe(
      'enabled',
    );
    const use = await client.sim.consumeData(device.eid, { bytes: 1000 });
    expect(use).toMatchObject({ iccid: esim.iccid, consumedBytes: 1000 });
    expect((await client.usage(esim.iccid)).dataUsedBytes).toBe(1000);
  });

  it('adds, lists, replaces and removes fault rules and presets', async () => {
    await client.sim.replaceFaults({
      rules: [{ id: 'slow', kind: 'latency', params: { ms: 1 } }],
      seed: 5,
    });
    const added = await client.sim.addFault({
      kind: 'error',
      params: { status: 503 },
      match: { path: '/v1/nothing' },
    });
    expect(added.seed).toBe(5);
    expect(added.rules.map((r) => [r.id, r.kind])).toEqual([
      ['slow', 'latency'],
      ['f1', 'error'],
    ]);
    expect((await client.sim.removeFault('slow')).rules.map((r) => r.id)).toEqual(['f1']);
    const preset = await client.sim.applyFaultPreset('flaky-mobile');
    expect(preset.rules.map((r) => r.id)).toContain('flaky-mobile-reset-before');
    expect((await client.sim.clearFaults()).rules).toEqual([]);
    expect((await client.sim.listFaults()).rules).toEqual([]);
  });

  it('arms and disarms crash points', async () => {
    expect((await client.sim.armCrashPoint('after-capture')).armed).toEqual(['after-capture']);
    expect((await client.sim.listCrashPoints()).armed).toEqual(['after-capture']);
    expect((await client.sim.disarmCrashPoints()).armed).toEqual([]);
  });

  it('creates a tenant that sees none of the dev tenant’s eSIMs', async () => {
    await orderedEsim(client);
    const tenant = await client.sim.createTenant({ name: 'acme' });
    expect((await client.sim.listTenants()).map((t) => t.name)).toContain('acme');
    const acme = new CarrierClient({ baseUrl: carrier.url, apiKey: tenant.apiKey });
    expect((await acme.listEsims()).data).toEqual([]);
    acme.close();
  });

  it('shows the journal, the gateway’s charges and a clean audit', async () => {
    const esim = await orderedEsim(client);
    const charges = await client.sim.gatewayCharges({ iccid: esim.iccid });
    expect(charges.map((c) => c.purpose.kind)).toEqual(['order']);
    const page = await client.sim.events({ limit: 2 });
    expect(page.data.length).toBeLessThanOrEqual(2);
    expect(page.nextCursor).not.toBeNull();
    const next = await client.sim.events({ limit: 2, after: page.nextCursor ?? 0 });
    expect(next.data[0]?.seq).toBeGreaterThan(page.data.at(-1)?.seq ?? 0);
    expect(await client.sim.audit()).toMatchObject({ ok: true, violations: [] });
  });

  it('pages through the ledger and the charges, each entry once, in order', async () => {
    await orderedEsim(client);
    await orderedEsim(client);
    const ledger = await client.sim.ledger();
    const charges = await client.sim.gatewayCharges();
    expect(ledger.length).toBeGreaterThan(2);
    expect(charges.length).toBeGreaterThan(1);

    const entries = [];
    let ledgerPages = 0;
    let cursor: string | undefined;
    do {
      const page = await client.sim.ledgerPage({ limit: 2, ...(cursor ? { cursor } : {}) });
      entries.push(...page.data);
      ledgerPages += 1;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(entries).toEqual(ledger);
    expect(ledgerPages).toBe(Math.ceil(ledger.length / 2));

    const first = await client.sim.gatewayChargePage({ limit: 1 });
    expect(first.data).toEqual(charges.slice(0, 1));
    const rest = await client.sim.gatewayChargePage({
      limit: 10_000,
      cursor: first.nextCursor ?? '',
    });
    expect(rest).toEqual({ data: charges.slice(1), nextCursor: null });
  });

  it('triggers webhook events and overrides coverage', async () => {
    const esim = await orderedEsim(client);
    expect(
      (await client.sim.triggerWebhook({ type: 'balance.low', iccid: esim.iccid })).eventId,
    ).toEqual(expect.any(String));
    const override = await client.sim.addCoverageOverride({
      name: 'tunnel',
      center: { lat: 10, lon: 10 },
      radiusKm: 5,
      signal: 'none',
    });
    expect((await client.coverage({ lat: 10, lon: 10 })).signal).toBe('none');
    expect((await client.sim.coverageMap()).overrides.map((o) => o.id)).toContain(override.id);
    await client.sim.removeCoverageOverride(override.id);
    expect((await client.sim.coverageMap()).overrides).toEqual([]);
    await client.sim.addCoverageOverride({
      name: 'a',
      center: { lat: 1, lon: 1 },
      radiusKm: 1,
      signal: 'weak',
    });
    expect(await client.sim.clearCoverageOverrides()).toEqual({ deleted: 1 });
  });
});
