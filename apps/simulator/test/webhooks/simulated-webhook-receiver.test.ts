import { signWebhookPayload } from '@esimlab/domain';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/virtual-time/virtual-clock.ts';
import { SimulatedWebhookReceiver } from '../../src/webhooks/simulated-webhook-receiver.ts';

const START = Date.parse('2026-03-04T12:00:00Z');
const event = {
  id: 'evt_1',
  type: 'topup.succeeded',
  createdAt: '2026-03-04T12:00:00.000Z',
  data: { id: 'tu_1', iccid: '8901' },
};
const payload = JSON.stringify(event);

function signed(secret: string, atMs: number): Record<string, string> {
  return {
    'content-type': 'application/json',
    'esimlab-event-id': event.id,
    'esimlab-signature': signWebhookPayload({
      secret,
      payload,
      timestampSeconds: Math.floor(atMs / 1000),
    }),
  };
}

describe('the simulated webhook receiver', () => {
  it('is reached through fetch at its URL, and applies each event once however often it comes', async () => {
    const clock = new VirtualClock(START);
    const receiver = new SimulatedWebhookReceiver({ clock, name: 'dedupe-test' });
    receiver.setSecret('whsec_1');
    const post = () =>
      fetch(receiver.url, { method: 'POST', headers: signed('whsec_1', START), body: payload });

    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(200);

    expect(receiver.applied().map((e) => e.id)).toEqual(['evt_1']);
    expect(receiver.events().map((d) => d.duplicate)).toEqual([false, true]);
    await receiver.close();
  });

  it('refuses a bad signature and, before it knows its secret, answers 503 so the carrier retries', async () => {
    const clock = new VirtualClock(START);
    const receiver = new SimulatedWebhookReceiver({ clock, name: 'refusals-test' });

    expect(receiver.receive(signed('whsec_1', START), payload).status).toBe(503);
    receiver.setSecret('whsec_other');
    expect(receiver.receive(signed('whsec_1', START), payload).status).toBe(401);
    expect(receiver.applied()).toEqual([]);
    await receiver.close();
  });

  it('as the broken receiver that does not dedupe, applies a duplicate again', async () => {
    const clock = new VirtualClock(START);
    const receiver = new SimulatedWebhookReceiver({ clock, name: 'mutant-test', dedupe: false });
    receiver.setSecret('whsec_1');
    receiver.receive(signed('whsec_1', START), payload);
    receiver.receive(signed('whsec_1', START), payload);
    expect(receiver.applied()).toHaveLength(2);
    await receiver.close();
  });

  it('gives up waiting for an event after its timeout in virtual time', async () => {
    const clock = new VirtualClock(START);
    const receiver = new SimulatedWebhookReceiver({ clock, name: 'wait-test' });
    const waited = await clock.drive(() => receiver.waitFor(() => true, 30_000));
    expect(waited).toBeUndefined();
    expect(clock.now()).toBe(START + 30_000);
    await receiver.close();
  });
});
