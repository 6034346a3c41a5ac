import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RunningCarriers, startCarriers } from '@esimlab/carrier';
import { CarrierClient } from '@esimlab/client';
import { DEV_API_KEY } from '../../src/checker/check-run.ts';

/** A response body as tests see it: arbitrary JSON they assert on. */
// biome-ignore lint/suspicious/noExplicitAny: tests assert on arbitrary JSON shapes
export type LooseJson = any;

/** A carrier known by its URL: control-plane calls and API calls with the dev key. */
export interface CarrierAt {
  readonly baseUrl: string;
  call(
    path: string,
    init?: { method?: string; json?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
}

export function carrierAt(baseUrl: string): CarrierAt {
  return {
    baseUrl,
    call(path, init = {}) {
      return fetch(`${baseUrl}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          authorization: `Bearer ${DEV_API_KEY}`,
          ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
          ...init.headers,
        },
        ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
      });
    },
  };
}

/** The body of a response that must have `status`; anything else fails with the carrier's answer. */
export async function expectStatus(
  res: Response,
  status: number,
  what: string,
): Promise<LooseJson> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

/**
 * Real att (idempotent) and tmobile (reference) carrier processes on free ports over the
 * memory store, as the launcher runs them.
 */
export async function startTwoCarriers(): Promise<{
  readonly running: RunningCarriers<'att' | 'tmobile'>;
  readonly att: CarrierAt;
  readonly tmobile: CarrierAt;
  readonly logs: string[];
}> {
  const logs: string[] = [];
  const running = await startCarriers({
    carriers: ['att', 'tmobile'],
    ports: { att: 0, tmobile: 0 },
    store: 'memory',
    logLevel: 'warn',
    onLog: (source, line) => {
      logs.push(`[${source}] ${line}`);
    },
  });
  return {
    running,
    att: carrierAt(running.urls.att),
    tmobile: carrierAt(running.urls.tmobile),
    logs,
  };
}

export async function resetCarrier(c: CarrierAt): Promise<void> {
  await expectStatus(await c.call('/_sim/reset', { method: 'POST' }), 204, 'reset');
}

/** The carrier's first add-on of a kind. */
export async function addonOf(c: CarrierAt, kind: 'boost' | 'pass'): Promise<LooseJson> {
  const { data } = await expectStatus(await c.call('/v1/plans'), 200, 'plans');
  const plan = data.find((p: LooseJson) => p.kind === 'addon' && p.addonKind === kind);
  if (!plan) throw new Error(`no ${kind} add-on`);
  return plan;
}

/**
 * Orders an eSIM on the first base plan without a confirmation code and downloads it onto a
 * new device in New York, which enables it and starts the plan's data (through the client,
 * as an app would).
 */
export async function activatedEsim(c: CarrierAt): Promise<{ iccid: string; eid: string }> {
  const client = new CarrierClient({ baseUrl: c.baseUrl, apiKey: DEV_API_KEY });
  try {
    const plan = (await client.plans()).find(
      (p) => p.kind === 'base' && !p.confirmationCodeRequired,
    );
    if (!plan) throw new Error('no base plan without a confirmation code');
    const esim = await client.createEsim({
      planId: plan.id,
      paymentMethod: 'pm_card_visa',
      subscriber: {
        name: 'Grace Hopper',
        email: 'grace@example.com',
        timeZone: 'America/New_York',
      },
    });
    const device = await client.sim.createDevice({
      location: { lat: 40.7128, lon: -74.006 },
      wifi: false,
    });
    await client.lpaDownload({ eid: device.eid, activationCode: esim.activationCode });
    return { iccid: esim.iccid, eid: device.eid };
  } finally {
    client.close();
  }
}

/** `POST /v1/esims/{iccid}/topups`, with a key and a client reference when given. */
export async function buyTopup(
  c: CarrierAt,
  iccid: string,
  order: { planId: string; key?: string; clientReference?: string },
): Promise<LooseJson> {
  const res = await c.call(`/v1/esims/${iccid}/topups`, {
    method: 'POST',
    json: {
      planId: order.planId,
      paymentMethod: 'pm_card_visa',
      ...(order.clientReference === undefined ? {} : { clientReference: order.clientReference }),
    },
    headers: order.key === undefined ? {} : { 'idempotency-key': order.key },
  });
  return expectStatus(res, 201, 'top-up');
}

/** Polls `check` until it returns a value, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const close = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A real webhook receiver that answers 200 and keeps every event it was sent, repeats included. */
export async function webhookReceiver(): Promise<{
  readonly url: string;
  readonly received: { id: string; type: string }[];
  close(): Promise<void>;
}> {
  const received: { id: string; type: string }[] = [];
  const server = createServer(async (req, res) => {
    const event = JSON.parse(await bodyOf(req));
    received.push({ id: event.id, type: event.type });
    res.writeHead(200).end();
  });
  const url = await listen(server);
  return { url: `${url}/webhooks`, received, close: () => close(server) };
}

/** A URL on a loopback port nothing listens on: every delivery to it is refused. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  const url = await listen(server);
  await close(server);
  return `${url}/webhooks`;
}

/**
 * A broken carrier: a real proxy in front of one that forwards everything, but tells
 * subscribers `lie(bytes)` instead of their true data remaining.
 */
export async function carrierMisreportingUsage(
  target: CarrierAt,
  lie: (dataRemainingBytes: number) => number,
): Promise<{ readonly baseUrl: string; close(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    const body = await bodyOf(req);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(
        (entry): entry is [string, string] =>
          typeof entry[1] === 'string' && entry[0] !== 'host' && entry[0] !== 'content-length',
      ),
    );
    const answer = await fetch(`${target.baseUrl}${req.url}`, {
      method: req.method ?? 'GET',
      headers,
      ...(body === '' ? {} : { body }),
    });
    let text = await answer.text();
    if (answer.ok && /^\/v1\/esims\/[^/]+\/usage$/.test(req.url ?? '')) {
      const usage = JSON.parse(text);
      text = JSON.stringify({ ...usage, dataRemainingBytes: lie(usage.dataRemainingBytes) });
    }
    res
      .writeHead(answer.status, {
        'content-type': answer.headers.get('content-type') ?? 'application/json',
      })
      .end(text);
  });
  const baseUrl = await listen(server);
  return { baseUrl, close: () => close(server) };
}
