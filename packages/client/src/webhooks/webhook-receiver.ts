import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  verifyWebhookSignature,
  WEBHOOK_SIGNATURE_TOLERANCE_SECONDS,
  type WebhookSignatureErrorCode,
} from '@esimlab/domain';
import type { WebhookEvent } from '../contract/webhook.ts';

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

/** One delivery attempt as the receiver saw it. */
export interface ReceivedDelivery {
  readonly eventId: string | undefined;
  readonly type: string | undefined;
  readonly signatureValid: boolean;
  /** Why the signature was refused (or `secret_unknown` when none was set yet). */
  readonly signatureError?: WebhookSignatureErrorCode | 'secret_unknown';
  /** The event id had been applied before. */
  readonly duplicate: boolean;
  /** This delivery applied the event. */
  readonly applied: boolean;
  /** The status it was answered with. */
  readonly status: number;
  /** Unix time in ms. */
  readonly receivedAtMs: number;
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
const DEFAULT_WAIT_MS = 10_000;

interface Waiter {
  readonly predicate: (event: WebhookEvent) => boolean;
  readonly resolve: (event: WebhookEvent | undefined) => void;
}

/**
 * A real HTTP receiver for the carrier's webhooks: it checks `Esimlab-Signature` with the
 * endpoint secret (401 on a bad one: the delivery is not applied), applies each event id
 * once (a duplicate is answered 200 without applying it again), and answers quickly.
 */
export async function startWebhookReceiver(
  options: WebhookReceiverOptions = {},
): Promise<WebhookReceiver> {
  let secretOverride: string | undefined;
  const currentSecret = (): string | undefined =>
    secretOverride ?? (typeof options.secret === 'function' ? options.secret() : options.secret);
  const dedupe = options.dedupe ?? true;
  const tolerance = options.toleranceSeconds ?? WEBHOOK_SIGNATURE_TOLERANCE_SECONDS;
  const deliveries: ReceivedDelivery[] = [];
  const applied: WebhookEvent[] = [];
  const appliedIds = new Set<string>();
  let waiters: Waiter[] = [];

  const receive = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const receivedAtMs = Date.now();
    const log = (entry: Omit<ReceivedDelivery, 'receivedAtMs' | 'status'>, status: number) => {
      deliveries.push({ ...entry, status, receivedAtMs });
    };
    if (req.method !== 'POST') {
      answer(res, 405, { code: 'method_not_allowed', detail: 'webhooks are POSTed' });
      return;
    }
    const body = await readBody(req);
    if (body === undefined) {
      answer(res, 413, { code: 'payload_too_large', detail: `at most ${MAX_BODY_BYTES} bytes` });
      return;
    }
    const headerEventId = header(req, 'esimlab-event-id');
    const secret = currentSecret();
    if (secret === undefined) {
      log(
        {
          eventId: headerEventId,
          type: undefined,
          signatureValid: false,
          signatureError: 'secret_unknown',
          duplicate: false,
          applied: false,
        },
        503,
      );
      // Not ready yet: the carrier retries on its backoff schedule.
      answer(res, 503, { code: 'secret_unknown', detail: 'the receiver has no secret yet' });
      return;
    }
    const verified = verifyWebhookSignature({
      secret,
      payload: body,
      header: header(req, 'esimlab-signature'),
      nowSeconds: Math.floor(Date.now() / 1000),
      toleranceSeconds: tolerance,
    });
    if (!verified.ok) {
      log(
        {
          eventId: headerEventId,
          type: undefined,
          signatureValid: false,
          signatureError: verified.error.code,
          duplicate: false,
          applied: false,
        },
        401,
      );
      answer(res, 401, { code: verified.error.code, detail: verified.error.message });
      return;
    }
    const event = parseEvent(body);
    if (event === undefined) {
      log(
        {
          eventId: headerEventId,
          type: undefined,
          signatureValid: true,
          duplicate: false,
          applied: false,
        },
        400,
      );
      answer(res, 400, { code: 'invalid_event', detail: 'the body is not a webhook event' });
      return;
    }
    const duplicate = appliedIds.has(event.id);
    const entry = { eventId: event.id, type: event.type, signatureValid: true, duplicate };
    if (duplicate && dedupe) {
      log({ ...entry, applied: false }, 200);
      answer(res, 200, { received: true, duplicate: true });
      return;
    }
    // Claimed before onEvent runs, so a copy arriving meanwhile is not applied twice.
    appliedIds.add(event.id);
    try {
      await options.onEvent?.(event);
    } catch (error) {
      if (!duplicate) appliedIds.delete(event.id);
      log({ ...entry, applied: false }, 500);
      answer(res, 500, { code: 'apply_failed', detail: String(error) });
      return;
    }
    applied.push(event);
    log({ ...entry, applied: true }, 200);
    answer(res, 200, { received: true, duplicate });
    notify(event);
  };

  const notify = (event: WebhookEvent): void => {
    const matched = waiters.filter((w) => w.predicate(event));
    waiters = waiters.filter((w) => !matched.includes(w));
    for (const waiter of matched) waiter.resolve(event);
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
    setSecret(secret) {
      secretOverride = secret;
    },
    events: () => [...deliveries],
    applied: () => [...applied],
    waitFor(predicate, timeoutMs = DEFAULT_WAIT_MS) {
      const seen = applied.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== waiter);
          resolve(undefined);
        }, timeoutMs);
        const waiter: Waiter = {
          predicate,
          resolve: (event) => {
            clearTimeout(timer);
            resolve(event);
          },
        };
        waiters.push(waiter);
      });
    },
    async close() {
      for (const waiter of waiters) waiter.resolve(undefined);
      waiters = [];
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
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

function parseEvent(body: string): WebhookEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const event = value as Record<string, unknown>;
  const valid =
    typeof event.id === 'string' &&
    typeof event.type === 'string' &&
    typeof event.createdAt === 'string' &&
    typeof event.data === 'object' &&
    event.data !== null;
  return valid ? (value as WebhookEvent) : undefined;
}

function answer(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
