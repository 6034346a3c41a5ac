import { DAY_MS } from '@esimlab/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';

let att: TestCarrier;
let iccid: string;
let expiresAt: number;
beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att' });
  // A subscriber whose prepaid base plan runs out (it does not renew): ordered, then
  // downloaded (and enabled) on a phone.
  const plan = (await json(await att.api('/v1/plans'))).data.find(
    (p: { kind: string; confirmationCodeRequired: boolean; autoRenewable: boolean }) =>
      p.kind === 'base' && !p.confirmationCodeRequired && !p.autoRenewable,
  );
  const device = await json(
    await att.api('/_sim/devices', {
      method: 'POST',
      json: { location: { lat: 40.7128, lon: -74.006 }, wifi: true },
    }),
  );
  const esim = await json(
    await att.api('/v1/esims', {
      method: 'POST',
      json: {
        planId: plan.id,
        paymentMethod: 'pm_card_visa',
        subscriber: { name: 'Ada Park', email: 'ada@example.com', timeZone: 'America/New_York' },
      },
    }),
  );
  iccid = esim.iccid;
  const download = await att.api('/v1/lpa/download', {
    method: 'POST',
    json: { eid: device.eid, activationCode: esim.activationCode },
  });
  expect(download.status).toBe(200);
  expect((await json(download)).state).toBe('enabled');
  const enabled = await json(await att.api(`/v1/esims/${iccid}`));
  expiresAt = Date.parse(enabled.balance.expiresAt);
});
afterAll(() => att.close());

const expiredEvents = async () =>
  (await json(await att.api(`/_sim/events?type=esim.expired&iccid=${iccid}`))).data;

const advanceTo = async (target: number) => {
  const now = Date.parse((await json(await att.api('/_sim/clock'))).now);
  const res = await att.api('/_sim/clock/advance', {
    method: 'POST',
    json: { ms: Math.max(1, target - now) },
  });
  expect(res.status).toBe(200);
};

describe('due work when the clock advances', () => {
  it('journals nothing while the base plan is still valid', async () => {
    await advanceTo(expiresAt - DAY_MS);
    expect(await expiredEvents()).toEqual([]);
  });

  it('journals esim.expired once the advance passes the base expiry, before answering', async () => {
    await advanceTo(expiresAt + 60_000);
    const events = await expiredEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'esim.expired',
      iccid,
      tenantId: 'dev',
      data: { expiresAt: new Date(expiresAt).toISOString() },
    });
  });

  it('never journals the same expiry twice', async () => {
    await att.api('/_sim/clock/advance', { method: 'POST', json: { by: 'P7D' } });
    expect(await expiredEvents()).toHaveLength(1);
  });
});
