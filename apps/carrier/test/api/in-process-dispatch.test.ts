import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InProcessResponse } from '../../src/index.ts';
import { DEV_KEY, json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';

// The in-process dispatch (the simulator's way in) must answer as the express app does on a
// socket: each request below goes both ways to one carrier and the answers are compared.
let att: TestCarrier;
let iccid: string;
beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att' });
  const plans = (await json(await att.api('/v1/plans'))).data;
  const esim = await att.api('/v1/esims', {
    method: 'POST',
    json: {
      planId: plans.find((p: { kind: string }) => p.kind === 'base').id,
      paymentMethod: 'pm_card_visa',
      subscriber: { name: 'Ana Ruiz', email: 'ana@example.com', timeZone: 'America/Denver' },
    },
  });
  iccid = (await json(esim)).iccid;
});
afterAll(() => att.close());

interface Exchange {
  readonly method: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

interface Seen {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly retryAfter: string | undefined;
  readonly allow: string | undefined;
  /** Compared for HEAD only: the length of the body GET would send. */
  readonly contentLength: string | undefined;
  readonly body: unknown;
}

const auth = { authorization: `Bearer ${DEV_KEY}` };
const jsonType = { 'content-type': 'application/json' };

async function overSocket(exchange: Exchange): Promise<Seen> {
  const res = await fetch(`${att.baseUrl}${exchange.url}`, {
    method: exchange.method,
    headers: exchange.headers ?? {},
    ...(exchange.body === undefined ? {} : { body: exchange.body }),
  });
  return seen(exchange, {
    status: res.status,
    contentType: res.headers.get('content-type') ?? undefined,
    retryAfter: res.headers.get('retry-after') ?? undefined,
    allow: res.headers.get('allow') ?? undefined,
    contentLength: res.headers.get('content-length') ?? undefined,
    text: await res.text(),
  });
}

async function inProcess(exchange: Exchange): Promise<Seen> {
  const body = exchange.body === undefined ? undefined : Buffer.from(exchange.body);
  const headers: Record<string, string> = { ...(exchange.headers ?? {}) };
  if (body !== undefined) headers['content-length'] = String(body.length);
  const res: InProcessResponse = await att.carrier.dispatch({
    method: exchange.method,
    url: exchange.url,
    headers,
    ...(body === undefined ? {} : { body }),
    signal: new AbortController().signal,
  });
  return seen(exchange, {
    status: res.status,
    contentType: res.headers['content-type'],
    retryAfter: res.headers['retry-after'],
    allow: res.headers.allow,
    contentLength: res.headers['content-length'],
    text: res.body.toString('utf8'),
  });
}

/** What both ways must agree on; ids and times a second request makes anew are left out. */
function seen(exchange: Exchange, answer: Omit<Seen, 'body'> & { readonly text: string }): Seen {
  const { text, contentType, contentLength, ...rest } = answer;
  let body: unknown = text;
  try {
    const parsed = JSON.parse(text);
    const { requestId: _, instance: __, ...rest } = parsed;
    body = Array.isArray(parsed) ? parsed : rest;
  } catch {}
  return {
    ...rest,
    contentType: contentType?.toLowerCase(),
    // A problem's length varies with its request id; a HEAD of a list has none.
    contentLength: exchange.method === 'HEAD' ? contentLength : undefined,
    body,
  };
}

const reads: [string, Exchange][] = [
  ['a public route', { method: 'GET', url: '/healthz' }],
  ['a list with its query', { method: 'GET', url: '/v1/plans?kind=addon', headers: auth }],
  ['a route no path matches', { method: 'GET', url: '/v1/nothing-here', headers: auth }],
  ['a known path with another method', { method: 'DELETE', url: '/v1/plans', headers: auth }],
  ['no API key', { method: 'GET', url: '/v1/esims' }],
  [
    'a wrong API key',
    { method: 'GET', url: '/v1/esims', headers: { authorization: 'Bearer nope' } },
  ],
  ['a bad query value', { method: 'GET', url: '/v1/esims?limit=zero', headers: auth }],
  ['an unknown eSIM', { method: 'GET', url: '/v1/esims/8901260000000000014', headers: auth }],
  [
    'a path parameter that is not valid percent-encoding',
    { method: 'GET', url: '/v1/esims/%E0%A4%A', headers: auth },
  ],
  ['a control-plane read', { method: 'GET', url: '/_sim/config' }],
  ['HEAD of a list', { method: 'HEAD', url: '/v1/plans?kind=addon', headers: auth }],
  ['HEAD with no API key', { method: 'HEAD', url: '/v1/esims' }],
  ['HEAD of a path no route serves', { method: 'HEAD', url: '/v1/nothing-here', headers: auth }],
  ['OPTIONS on a path with GET and POST', { method: 'OPTIONS', url: '/v1/esims' }],
  ['OPTIONS on a path with a parameter', { method: 'OPTIONS', url: '/v1/topups/tu_1/' }],
  ['OPTIONS on a path no route serves', { method: 'OPTIONS', url: '/v1/nothing-here' }],
  [
    'a bad percent-encoding in a path no route serves',
    { method: 'GET', url: '/v1/esims/%E0/nothing', headers: auth },
  ],
  [
    'OPTIONS on a bad percent-encoding no route serves',
    { method: 'OPTIONS', url: '/v1/esims/%E0/x' },
  ],
  [
    'a bad percent-encoding on a path only another method serves',
    { method: 'DELETE', url: '/v1/topups/%E0', headers: auth },
  ],
];

const writes = (): [string, Exchange][] => [
  [
    'a body that is not JSON',
    {
      method: 'POST',
      url: `/v1/esims/${iccid}/topups`,
      headers: { ...auth, ...jsonType, 'idempotency-key': 'k-broken' },
      body: '{"planId":',
    },
  ],
  [
    'a body of another media type',
    {
      method: 'POST',
      url: `/v1/esims/${iccid}/topups`,
      headers: { ...auth, 'content-type': 'text/plain', 'idempotency-key': 'k-text' },
      body: 'hello',
    },
  ],
  [
    'a body too large',
    {
      method: 'POST',
      url: `/v1/esims/${iccid}/topups`,
      headers: { ...auth, ...jsonType, 'idempotency-key': 'k-large' },
      body: JSON.stringify({ pad: 'x'.repeat(70_000) }),
    },
  ],
  [
    'a body the schema refuses',
    {
      method: 'POST',
      url: `/v1/esims/${iccid}/topups`,
      headers: { ...auth, ...jsonType, 'idempotency-key': 'k-invalid' },
      body: JSON.stringify({ planId: 7 }),
    },
  ],
  [
    'a missing Idempotency-Key',
    {
      method: 'POST',
      url: `/v1/esims/${iccid}/topups`,
      headers: { ...auth, ...jsonType },
      body: JSON.stringify({ planId: 'att-boost-1gb', paymentMethod: 'pm_card_visa' }),
    },
  ],
];

describe('the in-process dispatch', () => {
  it('refuses a path that is not valid percent-encoding with a 400, not a 5xx', async () => {
    const answer = await inProcess({ method: 'GET', url: '/v1/esims/%E0%A4%A', headers: auth });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'invalid_request' });
  });

  it.each(reads)('answers %s as the express app does', async (_what, exchange) => {
    expect(await inProcess(exchange)).toEqual(await overSocket(exchange));
  });

  it.each(writes())('answers %s as the express app does', async (_what, exchange) => {
    expect(await inProcess(exchange)).toEqual(await overSocket(exchange));
  });

  it('replays a purchase made over the socket for the same Idempotency-Key', async () => {
    const plans = (await json(await att.api('/v1/plans'))).data;
    const boost = plans.find((p: { addonKind?: string }) => p.addonKind === 'boost');
    const exchange: Exchange = {
      method: 'POST',
      url: `/v1/esims/${iccid}/topups`,
      headers: { ...auth, ...jsonType, 'idempotency-key': 'k-replay' },
      body: JSON.stringify({ planId: boost.id, paymentMethod: 'pm_card_visa' }),
    };
    const first = await overSocket(exchange);
    expect(first.status).toBe(201);
    expect(await inProcess(exchange)).toEqual(first);
  });

  it('echoes a valid X-Request-Id and makes one up otherwise', async () => {
    const res = await att.carrier.dispatch({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'trace-42' },
      signal: new AbortController().signal,
    });
    expect(res.headers['x-request-id']).toBe('trace-42');
    const other = await att.carrier.dispatch({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'not valid!' },
      signal: new AbortController().signal,
    });
    expect(other.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
