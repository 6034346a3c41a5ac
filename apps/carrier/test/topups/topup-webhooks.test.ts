import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import { startReceiver, type WebhookReceiver } from '../webhooks/webhook-receiver.ts';
import { activatedEsim, addon, type LooseJson, sim, topup } from './topup-fixtures.ts';

let verizon: TestCarrier;
let receiver: WebhookReceiver;
let iccid: string;
let boost: LooseJson;
beforeAll(async () => {
  verizon = await startTestCarrier({ carrier: 'verizon' });
  receiver = await startReceiver();
  iccid = (await activatedEsim(verizon)).esim.iccid;
  boost = await addon(verizon, 'boost');
});
afterAll(async () => {
  await verizon.close();
  await receiver.close();
});

describe('top-up webhooks', () => {
  it('reports an async top-up by topup.succeeded, once, and a decline by topup.failed', async () => {
    const endpoint = await json(
      await verizon.api('/v1/webhook-endpoints', {
        method: 'POST',
        json: { url: receiver.url, events: ['topup.succeeded', 'topup.failed'] },
      }),
    );
    expect(endpoint.secret).toMatch(/^whsec_/);
    const accepted = await json(
      await topup(verizon, iccid, { planId: boost.id, paymentMethod: 'pm_card_visa' }, 'hook-1'),
    );
    await topup(
      verizon,
      iccid,
      { planId: boost.id, paymentMethod: 'pm_card_insufficientFunds' },
      'hook-2',
    );
    await sim(verizon, '/_sim/clock/advance', { method: 'POST', json: { by: 'PT1M' } });

    await receiver.waitForCount(2);
    const succeeded = receiver.received.filter((d) => d.event.type === 'topup.succeeded');
    expect(succeeded.map((d) => d.event.data.id)).toEqual([accepted.id]);
    expect(succeeded[0]?.event.data.status).toBe('succeeded');
    const failed = receiver.received.filter((d) => d.event.type === 'topup.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.event.data.failureCode).toBe('insufficient_funds');
  });
});
