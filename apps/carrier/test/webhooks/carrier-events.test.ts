import { DAY_MS, MINUTE_MS } from '@esimlab/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activatedEsim, type LooseJson, sim } from '../devices/device-fixtures.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import {
  createEndpoint,
  eventually,
  startReceiver,
  type WebhookReceiver,
} from './webhook-receiver.ts';

let tmobile: TestCarrier;
let receiver: WebhookReceiver;
let device: LooseJson;
let esim: LooseJson;

beforeAll(async () => {
  tmobile = await startTestCarrier({ carrier: 'tmobile' });
  receiver = await startReceiver();
  await createEndpoint(tmobile, receiver.url, [
    'esim.activated',
    'balance.low',
    'balance.depleted',
    'plan.expiring',
  ]);
  ({ device, esim } = await activatedEsim(tmobile));
});
afterAll(async () => {
  await tmobile.close();
  await receiver.close();
});

/** Events the receiver got so far, of one type. */
const receivedOf = (type: string): LooseJson[] =>
  receiver.received.map((hook) => hook.event).filter((event) => event.type === type);

const waitForType = (type: string) =>
  eventually(() => (receivedOf(type).length > 0 ? receivedOf(type) : undefined));

const useData = async (bytes: number) => {
  const res = await sim(tmobile, `/_sim/devices/${device.eid}/usage`, {
    method: 'POST',
    json: { bytes },
  });
  expect(res.status).toBe(200);
  return json(res);
};

/** Advances the clock by whatever it takes to reach `target`; resolves after due work ran. */
const advanceTo = async (target: number) => {
  const now = Date.parse((await json(await tmobile.api('/_sim/clock'))).now);
  const res = await tmobile.api('/_sim/clock/advance', {
    method: 'POST',
    json: { ms: Math.max(1, target - now) },
  });
  expect(res.status).toBe(200);
};

describe('webhook events from carrier state changes', () => {
  it('sends esim.activated when the profile is first enabled', async () => {
    await receiver.waitForCount(1);
    const [activated] = receivedOf('esim.activated');
    const current = await json(await tmobile.api(`/v1/esims/${esim.iccid}`));
    expect(activated.data).toEqual({
      iccid: esim.iccid,
      planId: esim.planId,
      activatedAt: expect.any(String),
      expiresAt: current.balance.expiresAt,
    });
  });

  it('sends balance.low once at 90 % used and balance.depleted at zero', async () => {
    const { dataRemainingBytes: credited } = await json(
      await tmobile.api(`/v1/esims/${esim.iccid}/usage`),
    );
    await useData(Math.ceil(credited * 0.89));
    await useData(Math.ceil(credited * 0.005));
    expect(receivedOf('balance.low')).toHaveLength(0);

    await useData(Math.ceil(credited * 0.01));
    await useData(1);
    const low = await waitForType('balance.low');
    expect(low[0].data).toMatchObject({
      iccid: esim.iccid,
      thresholdPercent: 90,
      creditedBytes: credited,
    });
    expect(receivedOf('balance.depleted')).toHaveLength(0);

    const last = await useData(credited);
    expect(last.dataRemainingBytes).toBe(0);
    await useData(1);
    const depleted = await waitForType('balance.depleted');
    expect(depleted[0].data).toMatchObject({
      iccid: esim.iccid,
      dataRemainingBytes: 0,
      dataUsedBytes: credited,
    });
    expect(receivedOf('balance.low')).toHaveLength(1);
  });

  it('sends plan.expiring three days before the base plan ends, once', async () => {
    const { balance } = await json(await tmobile.api(`/v1/esims/${esim.iccid}`));
    const expiresAt = Date.parse(balance.expiresAt);

    await advanceTo(expiresAt - 3 * DAY_MS - MINUTE_MS);
    expect(receivedOf('plan.expiring')).toHaveLength(0);
    // The advance returns after the notice was delivered, no waiting needed.
    await advanceTo(expiresAt - 3 * DAY_MS + MINUTE_MS);
    const expiring = receivedOf('plan.expiring');
    expect(expiring).toHaveLength(1);
    expect(expiring[0].data).toMatchObject({
      iccid: esim.iccid,
      planId: esim.planId,
      expiresAt: balance.expiresAt,
      dataRemainingBytes: 0,
    });

    await advanceTo(expiresAt + DAY_MS);
    expect(receivedOf('plan.expiring')).toHaveLength(1);
  });
});
