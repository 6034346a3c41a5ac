import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  basePlan,
  coverageOverride,
  createDevice,
  download,
  journal,
  type LooseJson,
  orderEsim,
  sim,
} from '../devices/device-fixtures.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';

let att: TestCarrier;
let plan: LooseJson;
let planWithCode: LooseJson;
beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att' });
  plan = await basePlan(att, false);
  planWithCode = await basePlan(att, true);
});
afterAll(() => att.close());

describe('POST /v1/lpa/download', () => {
  it('downloads, installs and enables the profile without an API key, and starts the plan', async () => {
    const esim = await orderEsim(att, plan);
    const device = await createDevice(att);
    const res = await download(att, { eid: device.eid, activationCode: esim.activationCode });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ iccid: esim.iccid, state: 'enabled' });

    const after = await json(await att.api(`/v1/esims/${esim.iccid}`));
    expect(after).toMatchObject({ state: 'enabled', eid: device.eid });
    expect(after.balance.dataRemainingBytes).toBe(plan.dataBytes);
    expect(after.balance.expiresAt).toMatch(/Z$/);
    expect(Date.parse(after.balance.expiresAt)).toBeGreaterThan(Date.parse(after.createdAt));

    const charges = (await json(await sim(att, '/_sim/gateway/charges'))).data;
    const order = charges.filter(
      (c: LooseJson) => c.purpose.kind === 'order' && c.purpose.ref === esim.iccid,
    );
    expect(order.map((c: LooseJson) => c.status)).toEqual(['captured']);

    const steps = (await journal(att, { iccid: esim.iccid }))
      .map((e: LooseJson) => e.type)
      .filter((type: string) => type.startsWith('profile.'));
    expect(steps).toEqual(['profile.downloaded', 'profile.installed', 'profile.enabled']);
    expect((await json(await sim(att, `/_sim/devices/${device.eid}`))).profiles).toEqual([
      { iccid: esim.iccid, state: 'enabled' },
    ]);
  });

  it('answers a retry from the same device the same way, changing nothing', async () => {
    const esim = await orderEsim(att, plan);
    const device = await createDevice(att);
    const body = { eid: device.eid, activationCode: esim.activationCode };
    await download(att, body);
    const eventsBefore = await journal(att, { iccid: esim.iccid });

    const retry = await download(att, body);
    expect(retry.status).toBe(200);
    expect(await json(retry)).toEqual({ iccid: esim.iccid, state: 'enabled' });
    expect(await journal(att, { iccid: esim.iccid })).toEqual(eventsBefore);
    const balance = (await json(await att.api(`/v1/esims/${esim.iccid}`))).balance;
    expect(balance.dataRemainingBytes).toBe(plan.dataBytes);
  });

  it('refuses the activation code on a second device: single use per EID', async () => {
    const esim = await orderEsim(att, plan);
    const first = await createDevice(att);
    const second = await createDevice(att);
    await download(att, { eid: first.eid, activationCode: esim.activationCode });
    const res = await download(att, { eid: second.eid, activationCode: esim.activationCode });
    expect(res.status).toBe(409);
    const problem = await json(res);
    expect(problem.code).toBe('code_already_used');
    expect(problem.detail).toContain('another device');
    expect((await json(await sim(att, `/_sim/devices/${second.eid}`))).profiles).toEqual([]);
  });

  it('refuses an eSIM ordered for another EID', async () => {
    const owner = await createDevice(att);
    const other = await createDevice(att);
    const esim = await orderEsim(att, plan, { eid: owner.eid });
    const res = await download(att, { eid: other.eid, activationCode: esim.activationCode });
    expect(res.status).toBe(409);
    expect((await json(res)).code).toBe('code_already_used');
    const ok = await download(att, { eid: owner.eid, activationCode: esim.activationCode });
    expect(await json(ok)).toEqual({ iccid: esim.iccid, state: 'enabled' });
  });

  it('counts wrong confirmation codes, then locks even the right one', async () => {
    const esim = await orderEsim(att, planWithCode);
    expect(esim.activationCode).toMatch(/\$1$/);
    expect(typeof esim.confirmationCode).toBe('string');
    const device = await createDevice(att);
    const attempt = (confirmationCode?: string) =>
      download(att, {
        eid: device.eid,
        activationCode: esim.activationCode,
        ...(confirmationCode === undefined ? {} : { confirmationCode }),
      });

    const missing = await attempt();
    expect(missing.status).toBe(403);
    expect(await json(missing)).toMatchObject({
      code: 'confirmation_code_invalid',
      attemptsRemaining: 5,
    });

    const remaining: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await attempt(`wrong-${i}`);
      expect(res.status).toBe(403);
      const problem = await json(res);
      expect(problem.code).toBe('confirmation_code_invalid');
      remaining.push(problem.attemptsRemaining);
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0]);

    const locked = await attempt(esim.confirmationCode);
    expect(locked.status).toBe(423);
    expect((await json(locked)).code).toBe('too_many_attempts');
    expect((await json(await att.api(`/v1/esims/${esim.iccid}`))).state).toBe('error');
    const types = (await journal(att, { iccid: esim.iccid })).map((e: LooseJson) => e.type);
    expect(types.filter((t: string) => t === 'profile.confirmation_code_rejected')).toHaveLength(5);
    expect(types.filter((t: string) => t === 'profile.locked')).toHaveLength(1);
  });

  it('accepts the right confirmation code', async () => {
    const esim = await orderEsim(att, planWithCode);
    const device = await createDevice(att);
    const res = await download(att, {
      eid: device.eid,
      activationCode: esim.activationCode,
      confirmationCode: esim.confirmationCode,
    });
    expect(res.status).toBe(200);
    expect((await json(res)).state).toBe('enabled');
  });

  it('fails with network_unreachable without wifi or signal, and succeeds once wifi is on', async () => {
    const esim = await orderEsim(att, plan);
    const spot = { lat: 40.0, lon: -100.0 };
    const gap = await coverageOverride(att, spot, 'none');
    try {
      const device = await createDevice(att, { location: spot, wifi: false });
      expect(device.signal).toBe('none');
      const body = { eid: device.eid, activationCode: esim.activationCode };

      const offline = await download(att, body);
      expect(offline.status).toBe(503);
      expect(offline.headers.get('retry-after')).toBe('30');
      expect((await json(offline)).code).toBe('network_unreachable');
      expect((await json(await att.api(`/v1/esims/${esim.iccid}`))).state).toBe('released');

      await sim(att, `/_sim/devices/${device.eid}`, { method: 'PATCH', json: { wifi: true } });
      const online = await download(att, body);
      expect(online.status).toBe(200);
      expect((await json(online)).state).toBe('enabled');
    } finally {
      await sim(att, `/_sim/coverage/overrides/${gap.id}`, { method: 'DELETE' });
    }
  });

  it('answers 404 for an unknown device or an activation code of no eSIM here', async () => {
    const esim = await orderEsim(att, plan);
    const device = await createDevice(att);

    const unknownDevice = await download(att, {
      eid: '89882119900000000000000000001654',
      activationCode: esim.activationCode,
    });
    expect(unknownDevice.status).toBe(404);
    expect((await json(unknownDevice)).code).toBe('device_not_found');

    const foreign = esim.activationCode.replace(
      'smdp.att.esimlab.test',
      'smdp.tmobile.esimlab.test',
    );
    const other = await download(att, { eid: device.eid, activationCode: foreign });
    expect(other.status).toBe(404);
    expect((await json(other)).code).toBe('esim_not_found');

    const unknownId = await download(att, {
      eid: device.eid,
      activationCode: 'LPA:1$smdp.att.esimlab.test$AAAA-BBBB-CCCC-DDDD',
    });
    expect(unknownId.status).toBe(404);
    const problem = await json(unknownId);
    expect(problem.code).toBe('esim_not_found');
    expect(problem.detail).not.toContain('AAAA');
  });

  it.each([
    [{ activationCode: 'LPA:1$smdp.att.esimlab.test$X' }, 'body.eid'],
    [{ eid: '89882119900000000000000000001655', activationCode: 'LPA:1$a.b$X' }, 'body.eid'],
    [
      { eid: '89882119900000000000000000001654', activationCode: 'https://example.com' },
      'body.activationCode',
    ],
    [
      {
        eid: '89882119900000000000000000001654',
        activationCode: 'LPA:1$smdp.att.esimlab.test$lower',
      },
      'body.activationCode',
    ],
    [
      {
        eid: '89882119900000000000000000001654',
        activationCode: 'LPA:1$a.b$X',
        confirmationCode: '',
      },
      'body.confirmationCode',
    ],
    [{ eid: '89882119900000000000000000001654', activationCode: 'LPA:1$a.b$X', extra: 1 }, 'body'],
  ])('refuses %j with a 400 naming %s', async (body, field) => {
    const res = await download(att, body);
    expect(res.status).toBe(400);
    expect((await json(res)).errors.map((e: LooseJson) => e.field)).toContain(field);
  });
});
