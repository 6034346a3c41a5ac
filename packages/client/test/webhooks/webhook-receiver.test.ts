import { request } from 'node:http';
import { signWebhookPayload } from '@esimlab/domain';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CarrierClient,
  type CreatedWebhookEndpoint,
  isTopupEvent,
  purchaseTopup,
  startWebhookReceiver,
  type WebhookEndpointInput,
  type WebhookReceiver,
} from '../../src/index.ts';
import { addonPlan, carrierClient, orderedEsim, uniqueId } from '../support/carriers.ts';
import { fastRetry } from '../support/topups.ts';

/** Polls until `probe` holds, or fails after `timeoutMs`. */
async function eventually(
  probe: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`not true after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** POSTs a body to the receiver as the carrier would, with any signature header. */
function post(url: string, body: string, signature: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signature === undefined ? {} : { 'esimlab-signature': signature }),
      },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A receiver on its own path, with an endpoint for it on `client`'s carrier. */
async function receiverWithEndpoint(
  client: CarrierClient,
  options: { secret?: string; events?: WebhookEndpointInput['events'] } = {},
): Promise<{ receiver: WebhookReceiver; endpoint: CreatedWebhookEndpoint; path: string }> {
  const path = `/hooks/${uniqueId('rx')}`;
  const receiver = await startWebhookReceiver({
    path,
    ...(options.secret === undefined ? {} : { secret: options.secret }),
  });
  cleanups.push(() => receiver.close());
  const endpoint = await client.createWebhookEndpoint({
    url: receiver.url,
    events: options.events ?? ['*'],
  });
  cleanups.push(() => client.deleteWebhookEndpoint(endpoint.id));
  if (options.secret === undefined) receiver.setSecret(endpoint.secret);
  return { receiver, endpoint, path };
}

describe('startWebhookReceiver', () => {
  it('applies a signed event from the carrier', async () => {
    const client = carrierClient('att');
    cleanups.push(async () => client.close());
    const esim = await orderedEsim(client);
    const { receiver } = await receiverWithEndpoint(client);
    const { eventId } = await client.sim.triggerWebhook({ type: 'balance.low', iccid: esim.iccid });
    const event = await receiver.waitFor((e) => e.id === eventId, 5000);
    expect(event).toMatchObject({ id: eventId, type: 'balance.low', data: { iccid: esim.iccid } });
    expect(receiver.events().find((d) => d.eventId === eventId)).toMatchObject({
      signatureValid: true,
      duplicate: false,
      applied: true,
      status: 200,
    });
  });

  it('refuses a delivery signed with another secret, applies nothing, and takes the retry once fixed', async () => {
    const client = carrierClient('att');
    cleanups.push(async () => client.close());
    const esim = await orderedEsim(client);
    const { receiver, endpoint } = await receiverWithEndpoint(client, { secret: 'whsec_wrong' });
    const { eventId } = await client.sim.triggerWebhook({
      type: 'esim.activated',
      iccid: esim.iccid,
    });
    await eventually(() => receiver.events().length > 0);
    expect(receiver.events()[0]).toMatchObject({
      signatureValid: false,
      signatureError: 'signature_mismatch',
      applied: false,
      status: 401,
    });
    expect(receiver.applied()).toEqual([]);
    // The carrier recorded the 401 as a failed attempt.
    await eventually(
      async () => (await client.webhookDeliveries(endpoint.id))[0]?.attempts.length === 1,
    );
    const [delivery] = await client.webhookDeliveries(endpoint.id);
    expect(delivery?.eventId).toBe(eventId);
    expect(delivery?.attempts[0]?.statusCode).toBe(401);

    receiver.setSecret(endpoint.secret);
    await client.resendWebhookDelivery(delivery?.id ?? '');
    expect(await receiver.waitFor((e) => e.id === eventId, 5000)).toBeDefined();
    expect(receiver.applied().map((e) => e.id)).toEqual([eventId]);
  });

  it('refuses a delivery with no signature, a stale one, or a body not as signed', async () => {
    const secret = 'whsec_test';
    const receiver = await startWebhookReceiver({ secret });
    cleanups.push(() => receiver.close());
    const body = JSON.stringify({
      id: 'evt_1',
      type: 'balance.low',
      createdAt: '2026-01-01T00:00:00Z',
      data: { iccid: '8914101234567890121' },
    });
    const now = Math.floor(Date.now() / 1000);
    expect(await post(receiver.url, body, undefined)).toBe(401);
    expect(
      await post(
        receiver.url,
        body,
        signWebhookPayload({ secret, payload: body, timestampSeconds: now - 3600 }),
      ),
    ).toBe(401);
    expect(
      await post(
        receiver.url,
        `${body} `,
        signWebhookPayload({ secret, payload: body, timestampSeconds: now }),
      ),
    ).toBe(401);
    expect(receiver.events().map((d) => d.signatureError)).toEqual([
      'signature_missing',
      'timestamp_out_of_tolerance',
      'signature_mismatch',
    ]);
    expect(receiver.applied()).toEqual([]);
    expect(
      await post(
        receiver.url,
        body,
        signWebhookPayload({ secret, payload: body, timestampSeconds: now }),
      ),
    ).toBe(200);
    expect(receiver.applied().map((e) => e.id)).toEqual(['evt_1']);
  });

  it('applies an event once when the carrier delivers it several times', async () => {
    const client = carrierClient('att');
    cleanups.push(async () => client.close());
    const esim = await orderedEsim(client);
    const { receiver, path } = await receiverWithEndpoint(client);
    const ruleId = uniqueId('dup');
    // Webhook rules match the delivery's POST: this path is this receiver's alone.
    await client.sim.addFault({
      id: ruleId,
      kind: 'webhook-duplicate',
      params: { copies: 2 },
      match: { path },
    });
    cleanups.push(async () => {
      await client.sim.removeFault(ruleId);
    });
    const { eventId } = await client.sim.triggerWebhook({
      type: 'plan.expiring',
      iccid: esim.iccid,
    });
    await eventually(() => receiver.events().filter((d) => d.eventId === eventId).length === 3);
    const copies = receiver.events().filter((d) => d.eventId === eventId);
    expect(copies.map((d) => [d.duplicate, d.applied, d.status])).toEqual([
      [false, true, 200],
      [true, false, 200],
      [true, false, 200],
    ]);
    expect(receiver.applied().filter((e) => e.id === eventId)).toHaveLength(1);
  });

  it('applies every copy with dedupe off: the broken receiver a checker must catch', async () => {
    const secret = 'whsec_test';
    const receiver = await startWebhookReceiver({ secret, dedupe: false });
    cleanups.push(() => receiver.close());
    const body = JSON.stringify({
      id: 'evt_2',
      type: 'balance.low',
      createdAt: '2026-01-01T00:00:00Z',
      data: { iccid: '8914101234567890121' },
    });
    const signature = signWebhookPayload({
      secret,
      payload: body,
      timestampSeconds: Math.floor(Date.now() / 1000),
    });
    expect(await post(receiver.url, body, signature)).toBe(200);
    expect(await post(receiver.url, body, signature)).toBe(200);
    expect(receiver.applied().map((e) => e.id)).toEqual(['evt_2', 'evt_2']);
    expect(receiver.events().map((d) => d.duplicate)).toEqual([false, true]);
  });

  it('answers 500 when applying fails, so the retry applies it', async () => {
    const secret = 'whsec_test';
    let failures = 1;
    const receiver = await startWebhookReceiver({
      secret,
      onEvent: () => {
        if (failures-- > 0) throw new Error('database unavailable');
      },
    });
    cleanups.push(() => receiver.close());
    const body = JSON.stringify({
      id: 'evt_3',
      type: 'balance.low',
      createdAt: '2026-01-01T00:00:00Z',
      data: { iccid: '8914101234567890121' },
    });
    const signature = signWebhookPayload({
      secret,
      payload: body,
      timestampSeconds: Math.floor(Date.now() / 1000),
    });
    expect(await post(receiver.url, body, signature)).toBe(500);
    expect(receiver.applied()).toEqual([]);
    expect(await post(receiver.url, body, signature)).toBe(200);
    expect(receiver.applied().map((e) => e.id)).toEqual(['evt_3']);
  });

  it('asks the carrier to come back later while it has no secret', async () => {
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    expect(await post(receiver.url, '{}', 't=1,v1=00')).toBe(503);
    expect(receiver.events()[0]).toMatchObject({
      signatureError: 'secret_unknown',
      applied: false,
    });
  });

  it('resolves waitFor with undefined when nothing comes in time', async () => {
    const receiver = await startWebhookReceiver({ secret: 'whsec_test' });
    cleanups.push(() => receiver.close());
    expect(await receiver.waitFor(() => true, 50)).toBeUndefined();
  });
});

describe('async top-ups through webhooks', () => {
  it('takes the outcome from the topup.succeeded webhook instead of polling', async () => {
    const client = carrierClient('verizon');
    cleanups.push(async () => client.close());
    const esim = await orderedEsim(client);
    const boost = await addonPlan(client, 'boost');
    const { receiver } = await receiverWithEndpoint(client, {
      events: ['topup.succeeded', 'topup.failed'],
    });
    const result = await purchaseTopup(
      client,
      {
        intentId: uniqueId('intent'),
        iccid: esim.iccid,
        planId: boost.id,
        paymentMethod: 'pm_card_visa',
      },
      {
        strategy: 'async',
        retry: fastRetry,
        waitForEvent: (topupId, timeoutMs) =>
          receiver.waitFor((e) => isTopupEvent(e) && e.data.id === topupId, timeoutMs),
      },
    );
    expect(result.outcome.status).toBe('ok');
    expect(result.attempts.map((a) => a.request)).toEqual(['create']);
    if (result.outcome.status === 'ok') {
      expect(result.outcome.topup).toMatchObject({ status: 'succeeded', iccid: esim.iccid });
    }
  });
});
