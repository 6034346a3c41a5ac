import { isEid } from '@esimlab/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import { createDevice, journal, type LooseJson, places, sim } from './device-fixtures.ts';

const knownEid = '89882119900000000000000000001654';

let att: TestCarrier;
beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att' });
});
afterAll(() => att.close());

describe('POST /_sim/devices', () => {
  it('creates a device with a generated, valid EID and the signal where it stands', async () => {
    const res = await sim(att, '/_sim/devices', {
      method: 'POST',
      json: { location: places.newYork, wifi: true },
    });
    expect(res.status).toBe(201);
    const device = await json(res);
    expect(isEid(device.eid)).toBe(true);
    expect(device).toMatchObject({
      location: places.newYork,
      wifi: true,
      signal: 'good',
      region: 'new-york',
      profiles: [],
    });
    expect(device.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('generates a distinct valid EID for every device', async () => {
    const eids: string[] = [];
    for (let i = 0; i < 12; i++) eids.push((await createDevice(att)).eid);
    expect(eids.filter((eid) => !isEid(eid))).toEqual([]);
    expect(new Set(eids).size).toBe(eids.length);
  });

  it('keeps a given EID and refuses a second device with it', async () => {
    const device = await createDevice(att, { eid: knownEid, location: places.greenBank });
    expect(device).toMatchObject({ eid: knownEid, signal: 'none' });
    const again = await sim(att, '/_sim/devices', {
      method: 'POST',
      json: { eid: knownEid, location: places.newYork, wifi: false },
    });
    expect(again.status).toBe(409);
    const problem = await json(again);
    expect(problem.code).toBe('device_already_exists');
    expect(problem.detail).toContain(knownEid);
  });

  it('refuses an EID with wrong check digits, naming the field', async () => {
    const res = await sim(att, '/_sim/devices', {
      method: 'POST',
      json: { eid: `${knownEid.slice(0, 30)}55`, location: places.newYork, wifi: false },
    });
    expect(res.status).toBe(400);
    const problem = await json(res);
    expect(problem.code).toBe('invalid_request');
    expect(problem.errors[0].field).toBe('body.eid');
    expect(problem.detail).toContain('expected 54, got 55');
  });

  it.each([
    [{ location: { lat: 91, lon: 0 }, wifi: false }, 'body.location.lat'],
    [{ location: { lat: 0, lon: -180.5 }, wifi: false }, 'body.location.lon'],
    [{ location: places.newYork }, 'body.wifi'],
    [{ location: places.newYork, wifi: 'yes' }, 'body.wifi'],
    [{ location: places.newYork, wifi: true, battery: 80 }, 'body'],
  ])('refuses %j with a 400 naming %s', async (body, field) => {
    const before = (await json(await sim(att, '/_sim/devices'))).data.length;
    const res = await sim(att, '/_sim/devices', { method: 'POST', json: body });
    expect(res.status).toBe(400);
    expect((await json(res)).errors.map((e: LooseJson) => e.field)).toContain(field);
    expect((await json(await sim(att, '/_sim/devices'))).data).toHaveLength(before);
  });
});

describe('GET /_sim/devices', () => {
  it('gets one device by EID and lists all, oldest first', async () => {
    const a = await createDevice(att, { location: places.ruralKansas });
    const b = await createDevice(att);
    const one = await json(await sim(att, `/_sim/devices/${a.eid}`));
    expect(one).toEqual(a);
    expect(one).toMatchObject({ signal: 'weak', region: 'contiguous-us' });
    const { data } = await json(await sim(att, '/_sim/devices'));
    const eids = data.map((d: LooseJson) => d.eid);
    expect(eids.indexOf(a.eid)).toBeGreaterThanOrEqual(0);
    expect(eids.indexOf(a.eid)).toBeLessThan(eids.indexOf(b.eid));
  });

  it('answers 404 device_not_found for an unknown EID', async () => {
    const res = await sim(att, '/_sim/devices/89049032000000000000000000000000');
    expect(res.status).toBe(404);
    expect((await json(res)).code).toBe('device_not_found');
  });
});

describe('PATCH /_sim/devices/{eid}', () => {
  it('moves the phone, its signal follows, and the move is journaled', async () => {
    const device = await createDevice(att);
    const res = await sim(att, `/_sim/devices/${device.eid}`, {
      method: 'PATCH',
      json: { location: places.greenBank },
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({
      location: places.greenBank,
      wifi: false,
      signal: 'none',
      region: 'national-radio-quiet-zone',
    });
    const moves = await journal(att, { type: 'device.moved', eid: device.eid });
    expect(moves).toHaveLength(1);
    expect(moves[0].data).toEqual({ from: places.newYork, to: places.greenBank });
  });

  it('turns wifi on and off without moving', async () => {
    const device = await createDevice(att);
    const on = await sim(att, `/_sim/devices/${device.eid}`, {
      method: 'PATCH',
      json: { wifi: true },
    });
    expect(await json(on)).toMatchObject({ wifi: true, location: places.newYork });
    const off = await sim(att, `/_sim/devices/${device.eid}`, {
      method: 'PATCH',
      json: { wifi: false },
    });
    expect((await json(off)).wifi).toBe(false);
    const changes = (await journal(att, { eid: device.eid })).map((e: LooseJson) => e.type);
    expect(changes).toEqual(['device.created', 'device.wifi_on', 'device.wifi_off']);
  });

  it('refuses an empty change and an unknown device', async () => {
    const device = await createDevice(att);
    const empty = await sim(att, `/_sim/devices/${device.eid}`, { method: 'PATCH', json: {} });
    expect(empty.status).toBe(400);
    const unknown = await sim(att, `/_sim/devices/${knownEid.replace('1654', '0000')}`, {
      method: 'PATCH',
      json: { wifi: true },
    });
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).code).toBe('device_not_found');
  });
});
