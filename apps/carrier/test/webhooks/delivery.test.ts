import { HOUR_MS, MINUTE_MS, verifyWebhookSignature } from '@esimlab/domain';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emitWebhookEvent } from '../../src/features/webhooks/emit-webhook-event.ts';
import { webhookDeliveries, webhookEvents } from '../../src/persistence/collections.ts';
import { orderEsimOk } from '../esims/order-fixtures.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import {
  advance,
  createEndpoint,
  deliveries,
  deliveryWhen,
  type LooseJson,
  startReceiver,
  trigger,
  type WebhookReceiver,
} from './webhook-receiver.ts';

let att: TestCarrier;
let planId: string;
let iccid: string;
let receiver: WebhookReceiver;

beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att' });
  const { data } = await json(await att.api('/v1/plans'));
  planId = data.find((p: LooseJson) => p.kind === 'base').id;
});
afterAll(() => att.close());

beforeEach(async () => {
  expect((await att.api('/_sim/reset', { method: 'POST' })).status).toBe(204);
  iccid = (await orderEsimOk(att, planId)).iccid;
  receiver = await startReceiver();
});
afterEach(() => receiver.close());

/** The only delivery of an endpoint, once `ready` says it is in the wanted state. */
const theDelivery = (endpointId: string, ready: (d: LooseJson) => boolean) =>
  deliveryWhen(att, endpointId, ready);

const attemptGaps = (delivery: LooseJson): number[] =>
  delivery.attempts
    .map((a: LooseJson) => Date.parse(a.at))
    .slice(1)
    .map((at: number, i: number) => at - Date.parse(delivery.attempts[i].at));

describe('webhook delivery', () => {
  it('signs each delivery with the endpoint secret and real Unix time', async () => {
    const endpoint = await createEndpoint(att, receiver.url, ['topup.succeeded']);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    // Simulated time runs a day ahead; the signature still carries the wall clock's time.
    await advance(att, 'P1D');
    const eventId = await trigger(att, 'topup.succeeded', iccid);

    const [hook] = await receiver.waitForCount(1);
    expect(hook?.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'esimlab-webhooks/1',
      'esimlab-event-id': eventId,
    });
    const header = hook?.headers['esimlab-signature'] as string;
    const nowSeconds = Math.floor(Date.now() / 1000);
    const verified = verifyWebhookSignature({
      secret: endpoint.secret,
      payload: hook?.body ?? '',
      header,
      nowSeconds,
      toleranceSeconds: 60,
    });
    expect(verified.ok).toBe(true);
    const tampered = { secret: endpoint.secret, header, nowSeconds };
    expect(verifyWebhookSignature({ ...tampered, payload: `${hook?.body} ` }).ok).toBe(false);
    expect(
      verifyWebhookSignature({ ...tampered, secret: 'whsec_other', payload: hook?.body ?? '' }).ok,
    ).toBe(false);
    expect(hook?.event).toEqual({
      id: eventId,
      type: 'topup.succeeded',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      data: expect.objectContaining({ iccid, status: 'succeeded' }),
    });
    const lead = Date.parse(hook?.event.createdAt) - Date.now();
    expect(lead).toBeGreaterThan(23 * HOUR_MS);
  });

  it('retries a failing receiver with backoff as the clock advances, with one event id', async () => {
    receiver.answer = (_hook, index) => (index < 2 ? 500 : 200);
    const endpoint = await createEndpoint(att, receiver.url);
    const eventId = await trigger(att, 'esim.suspended', iccid);

    const first = await theDelivery(endpoint.id, (d) => d.attempts.length === 1);
    expect(first).toMatchObject({ eventId, type: 'esim.suspended', status: 'pending' });
    expect(first.attempts[0]).toMatchObject({ statusCode: 500 });
    expect(Date.parse(first.nextAttemptAt) - Date.parse(first.attempts[0].at)).toBe(MINUTE_MS);

    // Each advance returns only after the retry it made due has been answered.
    await advance(att, 'PT1M');
    expect(receiver.received).toHaveLength(2);
    await advance(att, 'PT5M');
    expect(receiver.received).toHaveLength(3);

    const [delivery] = await deliveries(att, endpoint.id);
    expect(delivery.status).toBe('delivered');
    expect(delivery.nextAttemptAt).toBeNull();
    expect(delivery.attempts.map((a: LooseJson) => a.statusCode)).toEqual([500, 500, 200]);
    expect(attemptGaps(delivery)).toEqual([MINUTE_MS, 5 * MINUTE_MS]);
    for (const hook of receiver.received) {
      expect(hook.event.id).toBe(eventId);
      expect(hook.headers['esimlab-event-id']).toBe(eventId);
    }
  });

  it('runs every retry a long advance covers, then gives up as failed', async () => {
    receiver.answer = () => 503;
    const endpoint = await createEndpoint(att, receiver.url);
    await trigger(att, 'plan.renewal_failed', iccid);
    await theDelivery(endpoint.id, (d) => d.attempts.length === 1);

    await advance(att, 'P3D');
    const [delivery] = await deliveries(att, endpoint.id);
    expect(receiver.received).toHaveLength(8);
    expect(delivery.status).toBe('failed');
    expect(delivery.nextAttemptAt).toBeNull();
    expect(attemptGaps(delivery)).toEqual([
      MINUTE_MS,
      5 * MINUTE_MS,
      30 * MINUTE_MS,
      2 * HOUR_MS,
      6 * HOUR_MS,
      12 * HOUR_MS,
      24 * HOUR_MS,
    ]);

    // A failed delivery can be resent by hand once the receiver is fixed.
    receiver.answer = () => 204;
    const res = await att.api(`/v1/webhook-deliveries/${delivery.id}/resend`, { method: 'POST' });
    expect(res.status).toBe(202);
    const resent = await theDelivery(endpoint.id, (d) => d.status === 'delivered');
    expect(resent.attempts).toHaveLength(9);
    expect(resent.attempts[8].statusCode).toBe(204);
  });

  it('records a refused connection as an error and tries again later', async () => {
    await receiver.close();
    const endpoint = await createEndpoint(att, receiver.url);
    await trigger(att, 'balance.low', iccid);
    const delivery = await theDelivery(endpoint.id, (d) => d.attempts.length === 1);
    expect(delivery.status).toBe('pending');
    expect(delivery.attempts[0].statusCode).toBeUndefined();
    expect(delivery.attempts[0].error).toMatch(/ECONNREFUSED/);
  });

  it('resends the same event, which a receiver deduplicating by id applies once', async () => {
    // A correct receiver: remembers event ids and acknowledges a duplicate without applying it.
    const seen = new Set<string>();
    const applied: string[] = [];
    receiver.answer = (hook) => {
      if (!seen.has(hook.event.id)) {
        seen.add(hook.event.id);
        applied.push(hook.event.id);
      }
      return 200;
    };
    const endpoint = await createEndpoint(att, receiver.url, ['topup.succeeded']);
    const eventId = await trigger(att, 'topup.succeeded', iccid);
    const delivered = await theDelivery(endpoint.id, (d) => d.status === 'delivered');

    const res = await att.api(`/v1/webhook-deliveries/${delivered.id}/resend`, {
      method: 'POST',
    });
    expect(res.status).toBe(202);
    expect(await json(res)).toMatchObject({ id: delivered.id, eventId, status: 'pending' });
    await receiver.waitForCount(2);
    const again = await theDelivery(endpoint.id, (d) => d.attempts.length === 2);
    expect(again.status).toBe('delivered');

    expect(receiver.received.map((h) => h.event.id)).toEqual([eventId, eventId]);
    expect(receiver.received[1]?.body).toBe(receiver.received[0]?.body);
    expect(applied).toEqual([eventId]);
  });

  it('never has two attempts of one delivery on the wire at once', async () => {
    receiver.answer = () => 'hang';
    const endpoint = await createEndpoint(att, receiver.url);
    await trigger(att, 'esim.suspended', iccid);
    await receiver.waitForCount(1);
    const [onTheWire] = await deliveries(att, endpoint.id);

    const res = await att.api(`/v1/webhook-deliveries/${onTheWire.id}/resend`, { method: 'POST' });
    expect(res.status).toBe(409);
    expect(res.headers.get('retry-after')).toBe('5');
    expect((await json(res)).code).toBe('webhook_delivery_in_progress');
    // An advance makes the delivery due again, but waits for the attempt on the wire.
    const advanced = advance(att, 'PT1M');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received).toHaveLength(1);

    receiver.release(200);
    await advanced;
    const delivered = await theDelivery(endpoint.id, (d) => d.status === 'delivered');
    expect(delivered.attempts).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);
  });

  it('answers 404 for resending an unknown delivery', async () => {
    const res = await att.api('/v1/webhook-deliveries/wd_nope/resend', { method: 'POST' });
    expect(res.status).toBe(404);
    expect((await json(res)).code).toBe('webhook_delivery_not_found');
  });

  it('delivers an event only once the transaction that emitted it commits', async () => {
    await createEndpoint(att, receiver.url);
    const { context } = att.carrier;
    const emitted = await att.store.transaction(async (tx) => {
      const event = await emitWebhookEvent(tx, context, {
        tenantId: 'dev',
        type: 'esim.suspended',
        data: { iccid },
      });
      // The delivery wakeup (0 ms) fires while this transaction is still open.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(receiver.received).toHaveLength(0);
      return event;
    });
    const [hook] = await receiver.waitForCount(1);
    expect(hook?.event.id).toBe(emitted.id);
  });

  it('delivers nothing for an event whose transaction rolled back', async () => {
    await createEndpoint(att, receiver.url);
    const { context } = att.carrier;
    let eventId = '';
    await expect(
      att.store.transaction(async (tx) => {
        eventId = (
          await emitWebhookEvent(tx, context, {
            tenantId: 'dev',
            type: 'esim.suspended',
            data: { iccid },
          })
        ).id;
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    await advance(att, 'PT1M');
    expect(receiver.received).toHaveLength(0);
    const stored = await att.store.transaction(async (tx) => ({
      event: await tx.get(webhookEvents, eventId),
      deliveries: await tx.count(webhookDeliveries, { eventId }),
    }));
    expect(stored).toEqual({ event: undefined, deliveries: 0 });
  });
});
