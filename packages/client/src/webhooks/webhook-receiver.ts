import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookEvent } from '../contract/webhook.ts';
import { type ReceivedDelivery, WebhookInbox } from './webhook-inbox.ts';

export interface WebhookReceiverOptions {
  /**
   * The endpoint's signing secret (`createWebhookEndpoint` returns it), or a function read on
   * each delivery. Until one is known, deliveries get 503 and the carrier retries them later.
   */
  readonly secret?: string | (() => string | undefined);
  /** Default 0: any free port. */
  readonly port?: number;
  /** Default 127.0.0.1 (the carrier only posts to loopback hosts). */
  readonly host?: string;
  /** The path of `url`; default `/webhooks`. Deliveries are accepted on any path. */
  readonly path?: string;
  /** How far a signature's time may be from ours; default 300 s. */
  readonly toleranceSeconds?: number;
  /**
   * Default true: an event id already applied is answered 200 and not applied again, as a
   * receiver of at-least-once deliveries must. `false` exists only to build a broken
   * receiver (a mutant) that applies duplicates, so a checker can be shown to catch it.
   */
  readonly dedupe?: boolean;
  /**
   * Applies an event (e.g. credits the app's own balance view). Awaited before the answer:
   * a throw answers 500, the event is not marked applied and the carrier retries it. Keep
   * it quick; the carrier waits 5 s per attempt.
   */
  readonly onEvent?: (event: WebhookEvent) => void | Promise<void>;
}

export interface WebhookReceiver {
  /** Where to point a webhook endpoint. */
  readonly url: string;
  /** Sets the secret signatures are checked with, e.g. once the endpoint exists. */
  setSecret(secret: string): void;
  /** Every delivery received, in arrival order. */
  events(): readonly ReceivedDelivery[];
  /** Every event applied, in order; with dedupe, each event id once. */
  applied(): readonly WebhookEvent[];
  /** The first applied event (past or future) that `predicate` accepts, or undefined in time. */
  waitFor(
    predicate: (event: WebhookEvent) => boolean,
    timeoutMs?: number,
  ): Promise<WebhookEvent | undefined>;
  close(): Promise<void>;
}

/** Bodies above this are refused: no event comes near it. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * A real HTTP receiver for the carrier's webhooks: a `WebhookInbox` behind node:http on real
 * time. It checks `Esimlab-Signature` with the endpoint secret (401 on a bad one: the
 * delivery is not applied), applies each event id once (a duplicate is answered 200 without
 * applying it again), and answers quickly.
 */
export async function startWebhookReceiver(
  options: WebhookReceiverOptions = {},
): Promise<WebhookReceiver> {
  const inbox = new WebhookInbox(options);

  const receive = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') {
      answer(res, 405, { code: 'method_not_allowed', detail: 'webhooks are POSTed' });
      return;
    }
    const body = await readBody(req);
    if (body === undefined) {
      answer(res, 413, { code: 'payload_too_large', detail: `at most ${MAX_BODY_BYTES} bytes` });
      return;
    }
    const { status, body: answerBody } = await inbox.receive(req.headers, body, Date.now());
    answer(res, status, answerBody);
  };

  const server = createServer((req, res) => {
    receive(req, res).catch(() => {
      if (!res.headersSent) answer(res, 500, { code: 'receiver_error' });
    });
  });
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const path = options.path ?? '/webhooks';

  return {
    url: `http://${host}:${port}${path.startsWith('/') ? path : `/${path}`}`,
    setSecret: (secret) => inbox.setSecret(secret),
    events: () => inbox.events(),
    applied: () => inbox.applied(),
    waitFor: (predicate, timeoutMs) => inbox.waitFor(predicate, timeoutMs),
    async close() {
      inbox.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The raw body as text (it is signed as sent), or undefined when too large. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function answer(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
