import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { json, type TestCarrier } from '../support/test-carrier.ts';

/** A response body as tests see it: arbitrary JSON they assert on. */
// biome-ignore lint/suspicious/noExplicitAny: tests assert on arbitrary JSON shapes
export type LooseJson = any;

export interface ReceivedWebhook {
  readonly headers: IncomingHttpHeaders;
  /** The raw body, as signed. */
  readonly body: string;
  readonly event: LooseJson;
}

/** The status to answer with, or `hang` to never answer. */
export type Answer = number | 'hang';

export interface WebhookReceiver {
  readonly url: string;
  readonly port: number;
  readonly received: ReceivedWebhook[];
  /** Decides each answer from the request and how many came before it. */
  answer: (hook: ReceivedWebhook, index: number) => Answer;
  /** Answers every request left hanging so far with `status`. */
  release(status: number): void;
  /** Resolves once `count` requests arrived, or fails after `timeoutMs`. */
  waitForCount(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

/** A real HTTP receiver on 127.0.0.1 (a free port unless given one) that records every POST. */
export async function startReceiver(
  options: { port?: number; answer?: WebhookReceiver['answer'] } = {},
): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const hook: ReceivedWebhook = { headers: req.headers, body, event: JSON.parse(body) };
      const index = received.length;
      received.push(hook);
      const status = receiver.answer(hook, index);
      if (status === 'hang') {
        hanging.push(res);
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const receiver: WebhookReceiver = {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    received,
    answer: options.answer ?? (() => 200),
    release(status) {
      for (const res of hanging.splice(0)) res.writeHead(status).end('{}');
    },
    waitForCount: (count, timeoutMs = 5_000) =>
      eventually(() => (received.length >= count ? received : undefined), timeoutMs),
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return receiver;
}

/** Polls `probe` until it returns something, or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Creates a webhook endpoint for `events` at `url`; fails unless the carrier answers 201. */
export async function createEndpoint(
  t: TestCarrier,
  url: string,
  events: readonly string[] = ['*'],
  apiKey?: string,
): Promise<LooseJson> {
  const res = await t.api('/v1/webhook-endpoints', {
    method: 'POST',
    json: { url, events },
    ...(apiKey === undefined ? {} : { headers: { authorization: `Bearer ${apiKey}` } }),
  });
  const body = await json(res);
  if (res.status !== 201) throw new Error(`endpoint: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** `POST /_sim/webhooks/trigger`; fails unless the carrier answers 202. */
export async function trigger(t: TestCarrier, type: string, iccid: string): Promise<string> {
  const res = await t.api('/_sim/webhooks/trigger', { method: 'POST', json: { type, iccid } });
  const body = await json(res);
  if (res.status !== 202) throw new Error(`trigger: ${res.status} ${JSON.stringify(body)}`);
  return body.eventId;
}

/** An endpoint's delivery log, newest first. */
export async function deliveries(
  t: TestCarrier,
  endpointId: string,
  apiKey?: string,
): Promise<LooseJson[]> {
  const res = await t.api(`/v1/webhook-endpoints/${endpointId}/deliveries`, {
    ...(apiKey === undefined ? {} : { headers: { authorization: `Bearer ${apiKey}` } }),
  });
  if (res.status !== 200) throw new Error(`deliveries: ${res.status} ${await res.text()}`);
  return (await json(res)).data;
}

/** Moves the carrier's clock forward; resolves once due work (deliveries included) ran. */
export async function advance(t: TestCarrier, by: string): Promise<void> {
  const res = await t.api('/_sim/clock/advance', { method: 'POST', json: { by } });
  if (res.status !== 200) throw new Error(`advance: ${res.status} ${await res.text()}`);
}

/** Creates a tenant through the control plane; returns its API key. */
export async function createTenant(t: TestCarrier, name: string): Promise<string> {
  const res = await t.api('/_sim/tenants', { method: 'POST', json: { name } });
  const body = await json(res);
  if (res.status !== 201) throw new Error(`tenant: ${res.status} ${JSON.stringify(body)}`);
  return body.apiKey;
}

/**
 * An endpoint's delivery (of `eventId`, or its first) once `ready` says it is in the wanted
 * state; polls the delivery log until then.
 */
export function deliveryWhen(
  t: TestCarrier,
  endpointId: string,
  ready: (delivery: LooseJson) => boolean,
  eventId?: string,
): Promise<LooseJson> {
  return eventually(async () => {
    const log = await deliveries(t, endpointId);
    const found = eventId === undefined ? log[0] : log.find((d) => d.eventId === eventId);
    return found && ready(found) ? found : undefined;
  });
}
