import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  coverageOverride,
  createDevice,
  journal,
  type LooseJson,
  places,
  sim,
} from '../devices/device-fixtures.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';

let att: TestCarrier;
let verizon: TestCarrier;
beforeAll(async () => {
  [att, verizon] = await Promise.all([
    startTestCarrier({ carrier: 'att' }),
    startTestCarrier({ carrier: 'verizon' }),
  ]);
});
afterAll(async () => {
  await Promise.all([att.close(), verizon.close()]);
});

const coverage = (t: TestCarrier, at: { lat: number | string; lon: number | string }) =>
  t.api(`/v1/coverage?lat=${at.lat}&lon=${at.lon}`);

describe('GET /v1/coverage', () => {
  it('reports good signal in a metro', async () => {
    const res = await coverage(att, places.newYork);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ signal: 'good', region: 'new-york' });
  });

  it('differs by carrier in rural Montana', async () => {
    expect(await json(await coverage(att, places.easternMontana))).toEqual({
      signal: 'none',
      region: 'eastern-montana',
    });
    expect(await json(await coverage(verizon, places.easternMontana))).toEqual({
      signal: 'weak',
      region: 'eastern-montana',
    });
  });

  it('has no signal outside the US', async () => {
    expect(await json(await coverage(att, places.toronto))).toEqual({
      signal: 'none',
      region: 'outside-us',
    });
  });

  it.each([
    [{ lat: 91, lon: 0 }, 'query.lat'],
    [{ lat: 0, lon: 181 }, 'query.lon'],
    [{ lat: 'north', lon: 0 }, 'query.lat'],
    [{ lat: '', lon: 0 }, 'query.lat'],
    [{ lat: 10, lon: '1e3' }, 'query.lon'],
  ])('refuses %j with a 400 naming %s', async (at, field) => {
    const res = await coverage(att, at);
    expect(res.status).toBe(400);
    expect((await json(res)).errors.map((e: LooseJson) => e.field)).toContain(field);
  });

  it('refuses a missing coordinate and a missing API key', async () => {
    const missing = await att.api('/v1/coverage?lat=40');
    expect(missing.status).toBe(400);
    expect((await json(missing)).detail).toContain('lon is required');
    const anonymous = await fetch(`${att.baseUrl}/v1/coverage?lat=40&lon=-74`);
    expect(anonymous.status).toBe(401);
  });
});

describe('/_sim/coverage overrides', () => {
  it('win over the map until removed, and devices see them', async () => {
    const device = await createDevice(att);
    const res = await sim(att, '/_sim/coverage/overrides', {
      method: 'POST',
      json: { name: 'holland-tunnel', center: places.newYork, radiusKm: 2, signal: 'none' },
    });
    expect(res.status).toBe(201);
    const override = await json(res);
    expect(override).toMatchObject({
      id: expect.stringMatching(/^cov_/),
      name: 'holland-tunnel',
      radiusKm: 2,
      signal: 'none',
    });
    expect(await json(await coverage(att, places.newYork))).toEqual({
      signal: 'none',
      region: 'holland-tunnel',
    });
    expect(await json(await sim(att, `/_sim/devices/${device.eid}`))).toMatchObject({
      signal: 'none',
      region: 'holland-tunnel',
    });
    const map = await json(await sim(att, '/_sim/coverage'));
    expect(map.overrides).toEqual([override]);
    expect(map.regions.map((r: LooseJson) => r.id)).toContain('i-80-corridor');

    const removed = await sim(att, `/_sim/coverage/overrides/${override.id}`, { method: 'DELETE' });
    expect(removed.status).toBe(204);
    expect((await json(await coverage(att, places.newYork))).region).toBe('new-york');
    expect((await json(await sim(att, '/_sim/coverage'))).overrides).toEqual([]);
    const types = (await journal(att, {})).map((e: LooseJson) => e.type);
    expect(types).toContain('coverage.override_added');
    expect(types).toContain('coverage.override_removed');
  });

  it('are cleared all at once', async () => {
    await coverageOverride(att, places.ruralKansas, 'good');
    await coverageOverride(att, places.greenBank, 'weak');
    expect((await json(await coverage(att, places.greenBank))).signal).toBe('weak');
    const res = await sim(att, '/_sim/coverage/overrides', { method: 'DELETE' });
    expect(await json(res)).toEqual({ deleted: 2 });
    expect(await json(await coverage(att, places.greenBank))).toEqual({
      signal: 'none',
      region: 'national-radio-quiet-zone',
    });
    expect((await json(await coverage(att, places.ruralKansas))).signal).toBe('weak');
  });

  it('answers 404 for an unknown override', async () => {
    const res = await sim(att, '/_sim/coverage/overrides/cov_nope', { method: 'DELETE' });
    expect(res.status).toBe(404);
    expect((await json(res)).code).toBe('coverage_override_not_found');
  });

  it.each([
    [{ name: 'x', center: places.newYork, radiusKm: 0, signal: 'none' }, 'body.radiusKm'],
    [{ name: 'x', center: places.newYork, radiusKm: 1, signal: 'meh' }, 'body.signal'],
    [{ name: '', center: places.newYork, radiusKm: 1, signal: 'none' }, 'body.name'],
    [{ name: 'x', center: { lat: 100, lon: 0 }, radiusKm: 1, signal: 'none' }, 'body.center.lat'],
    [{ name: 'x', center: places.newYork, radiusKm: 1, signal: 'none', id: 'mine' }, 'body'],
  ])('refuses %j with a 400 naming %s', async (body, field) => {
    const res = await sim(att, '/_sim/coverage/overrides', { method: 'POST', json: body });
    expect(res.status).toBe(400);
    expect((await json(res)).errors.map((e: LooseJson) => e.field)).toContain(field);
    expect((await json(await sim(att, '/_sim/coverage'))).overrides).toEqual([]);
  });
});
