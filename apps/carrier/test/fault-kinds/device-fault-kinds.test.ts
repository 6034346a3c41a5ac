import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  activatedEsim,
  basePlan,
  createDevice,
  download,
  type LooseJson,
  orderEsim,
  places,
  sim,
} from '../devices/device-fixtures.ts';
import { faults, useFaults } from '../faults/fault-fixtures.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import { advance } from '../webhooks/webhook-receiver.ts';

// One att carrier on a real socket; each case starts from a reset (which clears the rules) and
// arms its device rules through /_sim/faults, on the carrier's test clock.
let att: TestCarrier;
let plan: LooseJson;

beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att' });
});
afterAll(() => att.close());
beforeEach(async () => {
  expect((await att.api('/_sim/reset', { method: 'POST' })).status).toBe(204);
  plan = await basePlan(att, false);
});

const TEN_MINUTES_MS = 600_000;
// About 20 km north of the New York centre: still the New York metro, outside a 5 km gap.
const yonkers = { lat: 40.93, lon: -73.9 };

const signalOf = async (eid: string): Promise<string> =>
  (await json(await sim(att, `/_sim/devices/${eid}`))).signal;

const useData = (eid: string) =>
  sim(att, `/_sim/devices/${eid}/usage`, { method: 'POST', json: { bytes: 1_000 } });

/** A device at `location` (wifi off) with an eSIM downloaded and enabled on it. */
async function activatedAt(location: { lat: number; lon: number }): Promise<LooseJson> {
  const esim = await orderEsim(att, plan);
  const device = await createDevice(att, { location });
  const res = await download(att, { eid: device.eid, activationCode: esim.activationCode });
  if (res.status !== 200) throw new Error(`download: ${res.status} ${await res.text()}`);
  return device;
}

describe('coverage-gap', () => {
  it('cuts one device off until the gap ends on the simulated clock', async () => {
    const { device } = await activatedEsim(att);
    const neighbour = await activatedAt(places.newYork);
    const next = await orderEsim(att, plan);
    await useFaults(att, [
      {
        id: 'tunnel',
        kind: 'coverage-gap',
        params: { eid: device.eid, durationMs: TEN_MINUTES_MS },
      },
    ]);

    expect(await signalOf(device.eid)).toBe('none');
    const blocked = await download(att, { eid: device.eid, activationCode: next.activationCode });
    expect(blocked.status).toBe(503);
    const problem = await json(blocked);
    expect(problem).toMatchObject({ code: 'network_unreachable', faultRule: 'tunnel' });
    expect(problem.detail).toContain('POST /_sim/clock/advance');
    const noData = await useData(device.eid);
    expect(noData.status).toBe(503);
    expect((await json(noData)).code).toBe('network_unreachable');
    // The same place, another phone: the gap is this device's alone.
    expect(await signalOf(neighbour.eid)).toBe('good');
    expect((await useData(neighbour.eid)).status).toBe(200);

    await advance(att, 'PT10M');
    expect(await signalOf(device.eid)).toBe('good');
    expect((await useData(device.eid)).status).toBe(200);
    const after = await download(att, { eid: device.eid, activationCode: next.activationCode });
    expect(after.status).toBe(200);
  });

  it('lets a download through over wifi, since only cellular is gone', async () => {
    const device = await createDevice(att, { wifi: true });
    const esim = await orderEsim(att, plan);
    await useFaults(att, [
      { kind: 'coverage-gap', params: { eid: device.eid, durationMs: TEN_MINUTES_MS } },
    ]);
    expect(await signalOf(device.eid)).toBe('none');
    const res = await download(att, { eid: device.eid, activationCode: esim.activationCode });
    expect(res.status).toBe(200);
    expect((await useData(device.eid)).status).toBe(503);
  });

  it('takes the signal away inside its region only', async () => {
    const inside = await activatedAt(places.newYork);
    const outside = await activatedAt(yonkers);
    await useFaults(att, [
      {
        kind: 'coverage-gap',
        params: { region: { center: places.newYork, radiusKm: 5 }, durationMs: TEN_MINUTES_MS },
      },
    ]);

    expect(await signalOf(inside.eid)).toBe('none');
    expect((await useData(inside.eid)).status).toBe(503);
    expect(await signalOf(outside.eid)).toBe('good');
    expect((await useData(outside.eid)).status).toBe(200);
    const coverage = async (p: { lat: number; lon: number }) =>
      (await json(await att.api(`/v1/coverage?lat=${p.lat}&lon=${p.lon}`))).signal;
    expect(await coverage(places.newYork)).toBe('none');
    expect(await coverage(yonkers)).toBe('good');

    // Removing the rule ends the gap at once.
    expect((await faults(att, 'DELETE')).status).toBe(200);
    expect(await signalOf(inside.eid)).toBe('good');
  });
});

describe('weak-signal', () => {
  it('shows a weak signal and slows the device down by extraMs', async () => {
    const { device } = await activatedEsim(att);
    const next = await orderEsim(att, plan);
    await useFaults(att, [{ kind: 'weak-signal', params: { eid: device.eid, extraMs: 300 } }]);
    expect(await signalOf(device.eid)).toBe('weak');

    let started = performance.now();
    const used = await useData(device.eid);
    expect(used.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);

    started = performance.now();
    const downloaded = await download(att, {
      eid: device.eid,
      activationCode: next.activationCode,
    });
    expect(downloaded.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);

    started = performance.now();
    const disabled = await sim(att, `/_sim/devices/${device.eid}/profiles/${next.iccid}/disable`, {
      method: 'POST',
    });
    expect(disabled.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('leaves devices outside its region at full strength', async () => {
    const inside = await activatedAt(places.newYork);
    const outside = await activatedAt(yonkers);
    await useFaults(att, [
      {
        kind: 'weak-signal',
        params: { region: { center: places.newYork, radiusKm: 5 }, extraMs: 300 },
      },
    ]);
    expect(await signalOf(inside.eid)).toBe('weak');
    expect(await signalOf(outside.eid)).toBe('good');
  });
});
