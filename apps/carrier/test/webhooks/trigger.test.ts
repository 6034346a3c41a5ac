import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookEventTypes } from '../../src/features/webhooks/webhook-event-types.ts';
import { orderEsimOk } from '../esims/order-fixtures.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import {
  createEndpoint,
  type LooseJson,
  startReceiver,
  trigger,
  type WebhookReceiver,
} from './webhook-receiver.ts';

let verizon: TestCarrier;
let receiver: WebhookReceiver;
let iccid: string;

beforeAll(async () => {
  verizon = await startTestCarrier({ carrier: 'verizon' });
  receiver = await startReceiver();
  await createEndpoint(verizon, receiver.url, ['*']);
  const { data } = await json(await verizon.api('/v1/plans'));
  iccid = (await orderEsimOk(verizon, data.find((p: LooseJson) => p.kind === 'base').id)).iccid;
});
afterAll(async () => {
  await verizon.close();
  await receiver.close();
});

const money = { amount: expect.any(Number), currency: 'USD' };

/** What each event type's `data` carries, besides the eSIM's ICCID. */
const expectedData: Record<(typeof webhookEventTypes)[number], Record<string, unknown>> = {
  'topup.succeeded': { id: expect.stringMatching(/^tu_/), status: 'succeeded', amount: money },
  'topup.failed': { status: 'failed', failureCode: 'card_declined', amount: money },
  'esim.activated': { planId: expect.any(String), activatedAt: expect.any(String) },
  'balance.low': { thresholdPercent: 90, dataRemainingBytes: expect.any(Number) },
  'balance.depleted': { dataRemainingBytes: 0 },
  'plan.expiring': { expiresAt: expect.any(String), autoRenew: expect.any(Boolean) },
  'plan.renewed': { chargeId: expect.stringMatching(/^ch_/), amount: money },
  'plan.renewal_failed': { failureCode: 'card_declined', amount: money },
  'esim.suspended': { status: 'suspended' },
};

describe('POST /_sim/webhooks/trigger', () => {
  it('emits every event type with realistic data to the eSIM tenant', async () => {
    const ids: string[] = [];
    for (const type of webhookEventTypes) ids.push(await trigger(verizon, type, iccid));
    const hooks = await receiver.waitForCount(webhookEventTypes.length);

    const byId = new Map(hooks.map((hook) => [hook.event.id, hook.event]));
    expect(new Set(ids).size).toBe(webhookEventTypes.length);
    webhookEventTypes.forEach((type, i) => {
      expect(byId.get(ids[i]), type).toMatchObject({
        type,
        data: { iccid, ...expectedData[type] },
      });
    });
  });

  it.each([
    [{ type: 'topup.refunded', iccid: '8914101234567890121' }, 400, 'invalid_request'],
    [{ type: 'topup.succeeded', iccid: '123' }, 400, 'invalid_request'],
    [{ type: 'topup.succeeded' }, 400, 'invalid_request'],
    [{ type: 'topup.succeeded', iccid: '8914800000000000006' }, 404, 'esim_not_found'],
  ])('refuses %j', async (body, status, code) => {
    const emitted = async () =>
      (await json(await verizon.api('/_sim/events?type=webhook.emitted&limit=1000'))).data.length;
    const before = await emitted();
    const res = await verizon.api('/_sim/webhooks/trigger', { method: 'POST', json: body });
    expect(res.status).toBe(status);
    expect((await json(res)).code).toBe(code);
    expect(await emitted()).toBe(before);
  });
});
