import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import {
  activatedEsim,
  basePlan,
  createDevice,
  journal,
  type LooseJson,
  orderEsim,
  sim,
} from './device-fixtures.ts';

let att: TestCarrier;
beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att' });
});
afterAll(() => att.close());

const act = (eid: string, iccid: string, action: string) =>
  sim(att, `/_sim/devices/${eid}/profiles/${iccid}/${action}`, { method: 'POST' });

describe('POST /_sim/devices/{eid}/profiles/{iccid}/{action}', () => {
  it('disables, re-enables and deletes a profile, journaling each step', async () => {
    const { device, esim } = await activatedEsim(att);
    const states: string[] = [];
    for (const action of ['disable', 'enable', 'delete']) {
      const res = await act(device.eid, esim.iccid, action);
      expect(res.status).toBe(200);
      const body = await json(res);
      expect(body).toMatchObject({ iccid: esim.iccid, eid: device.eid });
      states.push(body.state);
    }
    expect(states).toEqual(['disabled', 'enabled', 'deleted']);
    expect((await json(await att.api(`/v1/esims/${esim.iccid}`))).state).toBe('deleted');
    expect((await json(await sim(att, `/_sim/devices/${device.eid}`))).profiles).toEqual([
      { iccid: esim.iccid, state: 'deleted' },
    ]);
    const types = (await journal(att, { iccid: esim.iccid })).map((e: LooseJson) => e.type);
    expect(types.slice(-3)).toEqual(['profile.disabled', 'profile.enabled', 'profile.deleted']);
  });

  it('does not start the plan twice when a profile is enabled again', async () => {
    const { device, esim, plan } = await activatedEsim(att);
    await act(device.eid, esim.iccid, 'disable');
    await act(device.eid, esim.iccid, 'enable');
    const after = await json(await att.api(`/v1/esims/${esim.iccid}`));
    expect(after.balance.dataRemainingBytes).toBe(plan.dataBytes);
    expect(await journal(att, { iccid: esim.iccid, type: 'esim.activated' })).toHaveLength(1);
  });

  it('refuses illegal transitions with 409, naming the state and what it allows', async () => {
    const { device, esim } = await activatedEsim(att);
    const enableAgain = await act(device.eid, esim.iccid, 'enable');
    expect(enableAgain.status).toBe(409);
    const problem = await json(enableAgain);
    expect(problem).toMatchObject({
      code: 'illegal_transition',
      state: 'enabled',
      event: 'enable',
    });
    expect(problem.detail).toContain('`disable`');

    await act(device.eid, esim.iccid, 'delete');
    const afterDelete = await act(device.eid, esim.iccid, 'disable');
    expect(afterDelete.status).toBe(409);
    expect((await json(afterDelete)).detail).toContain('`deleted` is final');
  });

  it('refuses to enable a profile bound to the device but never downloaded', async () => {
    const device = await createDevice(att);
    const esim = await orderEsim(att, await basePlan(att, false), { eid: device.eid });
    expect((await json(await sim(att, `/_sim/devices/${device.eid}`))).profiles).toEqual([
      { iccid: esim.iccid, state: 'released' },
    ]);
    const res = await act(device.eid, esim.iccid, 'enable');
    expect(res.status).toBe(409);
    expect(await json(res)).toMatchObject({ code: 'illegal_transition', state: 'released' });
    expect((await json(await att.api(`/v1/esims/${esim.iccid}`))).state).toBe('released');
  });

  it('answers 404 for an unknown device, an unknown eSIM, or an eSIM on another device', async () => {
    const { device, esim } = await activatedEsim(att);
    const stranger = await createDevice(att);

    const noDevice = await act('89882119900000000000000000001654', esim.iccid, 'disable');
    expect(noDevice.status).toBe(404);
    expect((await json(noDevice)).code).toBe('device_not_found');

    const noEsim = await act(device.eid, '8914100000000000000', 'disable');
    expect(noEsim.status).toBe(404);
    expect((await json(noEsim)).code).toBe('esim_not_found');

    const elsewhere = await act(stranger.eid, esim.iccid, 'disable');
    expect(elsewhere.status).toBe(404);
    expect((await json(elsewhere)).code).toBe('esim_not_found');
    expect((await json(await att.api(`/v1/esims/${esim.iccid}`))).state).toBe('enabled');
  });
});
