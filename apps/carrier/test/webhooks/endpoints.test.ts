import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { webhookEventTypes } from '../../src/features/webhooks/webhook-event-types.ts';
import { orderEsimOk } from '../esims/order-fixtures.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import {
  advance,
  createEndpoint,
  createTenant,
  deliveries,
  eventually,
  type LooseJson,
  startReceiver,
  trigger,
} from './webhook-receiver.ts';

let att: TestCarrier;
let planId: string;

beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att' });
  const { data } = await json(await att.api('/v1/plans'));
  planId = data.find((p: LooseJson) => p.kind === 'base').id;
});
afterAll(() => att.close());
beforeEach(async () => {
  expect((await att.api('/_sim/reset', { method: 'POST' })).status).toBe(204);
});

const listEndpoints = async (apiKey?: string): Promise<LooseJson[]> => {
  const res = await att.api('/v1/webhook-endpoints', {
    ...(apiKey === undefined ? {} : { headers: { authorization: `Bearer ${apiKey}` } }),
  });
  expect(res.status).toBe(200);
  return (await json(res)).data;
};

const as = (apiKey: string) => ({ authorization: `Bearer ${apiKey}` });

describe('webhook endpoints', () => {
  it('creates an endpoint, shows its secret once and lists it without', async () => {
    const res = await att.api('/v1/webhook-endpoints', {
      method: 'POST',
      json: { url: 'http://127.0.0.1:9/hooks', events: ['topup.succeeded', 'topup.succeeded'] },
    });
    expect(res.status).toBe(201);
    const created = await json(res);
    expect(created).toEqual({
      id: expect.stringMatching(/^we_/),
      url: 'http://127.0.0.1:9/hooks',
      events: ['topup.succeeded'],
      secret: expect.stringMatching(/^whsec_/),
      createdAt: expect.any(String),
    });
    expect(res.headers.get('location')).toBe(`/v1/webhook-endpoints/${created.id}`);
    const { secret: _secret, ...listed } = created;
    expect(await listEndpoints()).toEqual([listed]);
  });

  it.each([
    'http://localhost:8080/hooks',
    'http://127.1.2.3/hooks',
    'http://[::1]:8080/hooks',
    'https://127.0.0.1/hooks',
  ])('accepts the loopback URL %s', async (url) => {
    await createEndpoint(att, url, webhookEventTypes);
  });

  it.each([
    ['a relative URL', { url: '/hooks', events: ['*'] }, 400, 'invalid_request', /absolute URL/],
    [
      'a non-http scheme',
      { url: 'ftp://127.0.0.1/x', events: ['*'] },
      400,
      'invalid_request',
      /http or https/,
    ],
    [
      'credentials in the URL',
      { url: 'http://u:p@127.0.0.1/x', events: ['*'] },
      400,
      'invalid_request',
      /user name/,
    ],
    [
      'a public host',
      { url: 'https://example.com/hooks', events: ['*'] },
      422,
      'webhook_url_not_allowed',
      /loopback/,
    ],
    [
      'a private address',
      { url: 'http://10.0.0.7:8080/', events: ['*'] },
      422,
      'webhook_url_not_allowed',
      /127\.0\.0\.0\/8/,
    ],
    [
      'a public IPv6 host',
      { url: 'http://[2001:db8::1]/', events: ['*'] },
      422,
      'webhook_url_not_allowed',
      /loopback/,
    ],
    [
      'an unknown event type',
      { url: 'http://127.0.0.1/x', events: ['topup.refunded'] },
      400,
      'invalid_request',
      /topup\.succeeded/,
    ],
    [
      'no event types',
      { url: 'http://127.0.0.1/x', events: [] },
      400,
      'invalid_request',
      /at least one/,
    ],
    ['no events field', { url: 'http://127.0.0.1/x' }, 400, 'invalid_request', /events/],
    [
      'an unknown field',
      { url: 'http://127.0.0.1/x', events: ['*'], secret: 'x' },
      400,
      'invalid_request',
      /secret/,
    ],
  ])('refuses %s with a problem and stores nothing', async (_case, body, status, code, detail) => {
    const res = await att.api('/v1/webhook-endpoints', { method: 'POST', json: body });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const problem = await json(res);
    expect(problem.code).toBe(code);
    expect(JSON.stringify(problem)).toMatch(detail);
    expect(await listEndpoints()).toEqual([]);
    const journal = await json(await att.api('/_sim/events?type=webhook_endpoint.created'));
    expect(journal.data).toEqual([]);
  });

  it('deletes an endpoint and stops its pending deliveries', async () => {
    const receiver = await startReceiver({ answer: () => 500 });
    try {
      const endpoint = await createEndpoint(att, receiver.url);
      const { iccid } = await orderEsimOk(att, planId);
      await trigger(att, 'balance.depleted', iccid);
      await receiver.waitForCount(1);
      await eventually(async () => {
        const [d] = await deliveries(att, endpoint.id);
        return d?.attempts.length === 1 ? d : undefined;
      });

      const res = await att.api(`/v1/webhook-endpoints/${endpoint.id}`, { method: 'DELETE' });
      expect(res.status).toBe(204);
      await advance(att, 'PT1H');
      expect(receiver.received).toHaveLength(1);
      expect(await listEndpoints()).toEqual([]);
      const again = await att.api(`/v1/webhook-endpoints/${endpoint.id}`, { method: 'DELETE' });
      expect(again.status).toBe(404);
      expect((await json(again)).code).toBe('webhook_endpoint_not_found');
    } finally {
      await receiver.close();
    }
  });

  it("keeps one tenant's endpoints, deliveries and events away from another", async () => {
    const mine = await startReceiver();
    const theirs = await startReceiver();
    try {
      const otherKey = await createTenant(att, 'acme');
      const endpoint = await createEndpoint(att, mine.url);
      const foreign = await createEndpoint(att, theirs.url, ['*'], otherKey);
      const { iccid } = await orderEsimOk(att, planId);
      await trigger(att, 'topup.succeeded', iccid);
      await mine.waitForCount(1);
      const [delivery] = await eventually(async () => {
        const log = await deliveries(att, endpoint.id);
        return log[0]?.status === 'delivered' ? log : undefined;
      });

      expect((await listEndpoints(otherKey)).map((e) => e.id)).toEqual([foreign.id]);
      const probes = [
        ['GET', `/v1/webhook-endpoints/${endpoint.id}/deliveries`, 'webhook_endpoint_not_found'],
        ['DELETE', `/v1/webhook-endpoints/${endpoint.id}`, 'webhook_endpoint_not_found'],
        ['POST', `/v1/webhook-deliveries/${delivery.id}/resend`, 'webhook_delivery_not_found'],
      ] as const;
      for (const [method, path, code] of probes) {
        const res = await att.api(path, { method, headers: as(otherKey) });
        expect(res.status, `${method} ${path}`).toBe(404);
        expect((await json(res)).code).toBe(code);
      }
      expect((await listEndpoints()).map((e) => e.id)).toEqual([endpoint.id]);
      // Everything due has run once an advance returns: the other tenant got nothing.
      await advance(att, 'PT1S');
      expect(theirs.received).toHaveLength(0);
      expect(mine.received).toHaveLength(1);
    } finally {
      await mine.close();
      await theirs.close();
    }
  });

  it('refuses a seventeenth endpoint', async () => {
    for (let i = 0; i < 16; i++) await createEndpoint(att, `http://127.0.0.1:9/hooks/${i}`);
    const res = await att.api('/v1/webhook-endpoints', {
      method: 'POST',
      json: { url: 'http://127.0.0.1:9/one-more', events: ['*'] },
    });
    expect(res.status).toBe(409);
    expect((await json(res)).code).toBe('webhook_endpoint_limit_reached');
    expect(await listEndpoints()).toHaveLength(16);
  });
});
