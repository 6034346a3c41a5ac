import { isEid, isFictionalMsisdn, isIccid, parseActivationCode } from '@esimlab/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';

let att: TestCarrier;
beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att', seed: 7 });
});
afterAll(() => att.close());

const seed = async (carrier: TestCarrier, body: unknown) => {
  const res = await carrier.api('/_sim/seed', { method: 'POST', json: body });
  expect(res.status).toBe(200);
  return (await json(res)).subscribers;
};

const zones = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Phoenix',
  'America/Anchorage',
  'Pacific/Honolulu',
];

describe('POST /_sim/seed', () => {
  it('creates realistic US subscribers, each with a phone and an eSIM bound to it', async () => {
    const subscribers = await seed(att, { seed: 42, subscribers: 25 });
    expect(subscribers).toHaveLength(25);
    for (const s of subscribers) {
      expect(s.name).toMatch(/^\S+ \S+/);
      expect(s.email).toMatch(/^[^@\s]+@example\.(com|net|org)$/);
      expect(zones).toContain(s.timeZone);
      expect(isEid(s.eid)).toBe(true);
      expect(isIccid(s.iccid)).toBe(true);
      expect(isFictionalMsisdn(s.msisdn)).toBe(true);
      expect(parseActivationCode(s.activationCode).ok).toBe(true);
    }
    expect(new Set(subscribers.map((s: { timeZone: string }) => s.timeZone)).size).toBeGreaterThan(
      2,
    );

    const esims = await json(await att.api('/v1/esims?limit=100'));
    expect(esims.data.map((e: { iccid: string }) => e.iccid).sort()).toEqual(
      subscribers.map((s: { iccid: string }) => s.iccid).sort(),
    );
    for (const s of subscribers.slice(0, 3)) {
      const device = await json(await att.api(`/_sim/devices/${s.eid}`));
      expect(device.wifi).toBe(true);
      expect(device.profiles).toContainEqual(expect.objectContaining({ iccid: s.iccid }));
    }
  });

  it('gives identical subscribers for the same seed, across calls and restarts', async () => {
    const first = await seed(att, { seed: 1234, subscribers: 8 });
    await att.api('/_sim/tenants', { method: 'POST', json: { name: 'noise' } });
    const second = await seed(att, { seed: 1234, subscribers: 8 });
    expect(second).toEqual(first);

    const other = await startTestCarrier({ carrier: 'att', seed: 99 });
    try {
      expect(await seed(other, { seed: 1234, subscribers: 8 })).toEqual(first);
    } finally {
      await other.close();
    }
  });

  it('gives different subscribers for a different seed', async () => {
    const a = await seed(att, { seed: 1, subscribers: 5 });
    const b = await seed(att, { seed: 2, subscribers: 5 });
    expect(b).not.toEqual(a);
    expect(b.map((s: { iccid: string }) => s.iccid)).not.toEqual(
      a.map((s: { iccid: string }) => s.iccid),
    );
    expect(b.map((s: { name: string }) => s.name)).not.toEqual(
      a.map((s: { name: string }) => s.name),
    );
  });

  it('replaces everything that was there before', async () => {
    await att.api('/_sim/tenants', { method: 'POST', json: { name: 'leftover' } });
    await seed(att, { seed: 5, subscribers: 3 });
    const tenants = (await json(await att.api('/_sim/tenants'))).data;
    expect(tenants.map((t: { name: string }) => t.name)).toEqual(['dev']);
    expect((await json(await att.api('/v1/esims'))).data).toHaveLength(3);
  });

  it.each([
    [{ seed: 1, subscribers: 0 }],
    [{ seed: 1, subscribers: 201 }],
    [{ seed: -1, subscribers: 3 }],
    [{ seed: 1.5, subscribers: 3 }],
    [{ seed: '1', subscribers: 3 }],
    [{ subscribers: 3 }],
  ])('refuses %j with 400 and keeps the existing data', async (body) => {
    const before = (await json(await att.api('/v1/esims?limit=100'))).data;
    const res = await att.api('/_sim/seed', { method: 'POST', json: body });
    expect(res.status).toBe(400);
    expect((await json(res)).code).toBe('invalid_request');
    expect((await json(await att.api('/v1/esims?limit=100'))).data).toEqual(before);
  });
});
