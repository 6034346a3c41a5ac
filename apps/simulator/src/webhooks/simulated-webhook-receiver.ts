import type { ReceivedDelivery, WebhookEvent, WebhookReceiver } from '@esimlab/client';
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_TOLERANCE_SECONDS } from '@esimlab/domain';
import type { VirtualClock } from '../virtual-time/virtual-clock.ts';
import { routeFetch, SIMULATED_WEBHOOK_ORIGIN } from './internal/fetch-routes.ts';

export interface SimulatedWebhookReceiverOptions {
  readonly clock: VirtualClock;
  /** Unique among the receivers alive in this process. */
  readonly name: string;
  /**
   * Default true: an event id already applied is answered 200 and not applied again. `false`
   * builds the broken receiver (a mutant) that applies every copy.
   */
  readonly dedupe?: boolean;
}

interface Waiter {
  readonly predicate: (event: WebhookEvent) => boolean;
  readonly resolve: (event: WebhookEvent | undefined) => void;
}

/**
 * An app's webhook endpoint inside the simulation: the carrier's signed POSTs reach it through
 * `fetch` without a socket. It behaves as the client's `startWebhookReceiver` does on a real
 * one (signature checked against virtual Unix time, each event id applied once, 503 until
 * it knows its secret), and its `waitFor` times out on the virtual clock.
 */
export class SimulatedWebhookReceiver implements WebhookReceiver {
  readonly url: string;
  readonly #clock: VirtualClock;
  readonly #dedupe: boolean;
  #secret: string | undefined;
  readonly #deliveries: ReceivedDelivery[] = [];
  readonly #applied: WebhookEvent[] = [];
  readonly #appliedIds = new Set<string>();
  #waiters: Waiter[] = [];
  readonly #unroute: () => void;

  constructor(options: SimulatedWebhookReceiverOptions) {
    this.#clock = options.clock;
    this.#dedupe = options.dedupe ?? true;
    const path = `/webhooks/${encodeURIComponent(options.name)}`;
    this.url = `${SIMULATED_WEBHOOK_ORIGIN}${path}`;
    this.#unroute = routeFetch(path, async (_url, init) => {
      const { status, body } = this.receive(headersOf(init?.headers), String(init?.body ?? ''));
      return new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json' },
      });
    });
  }

  setSecret(secret: string): void {
    this.#secret = secret;
  }

  events(): readonly ReceivedDelivery[] {
    return [...this.#deliveries];
  }

  applied(): readonly WebhookEvent[] {
    return [...this.#applied];
  }

  waitFor(
    predicate: (event: WebhookEvent) => boolean,
    timeoutMs = 10_000,
  ): Promise<WebhookEvent | undefined> {
    const seen = this.#applied.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const timer = this.#clock.setTimer(timeoutMs, () => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        resolve(undefined);
      });
      const waiter: Waiter = {
        predicate,
        resolve: (event) => {
          timer.cancel();
          resolve(event);
        },
      };
      this.#waiters.push(waiter);
    });
  }

  async close(): Promise<void> {
    this.#unroute();
    for (const waiter of this.#waiters) waiter.resolve(undefined);
    this.#waiters = [];
  }

  /** One POST from the carrier: the status and body it is answered with. */
  receive(
    headers: Readonly<Record<string, string>>,
    payload: string,
  ): { readonly status: number; readonly body: Record<string, unknown> } {
    const receivedAtMs = this.#clock.now();
    const headerEventId = headers['esimlab-event-id'];
    const refuse = (
      status: number,
      code: string,
      entry: Partial<ReceivedDelivery> = {},
    ): { status: number; body: Record<string, unknown> } => {
      this.#deliveries.push({
        eventId: headerEventId,
        type: undefined,
        signatureValid: false,
        duplicate: false,
        applied: false,
        ...entry,
        status,
        receivedAtMs,
      });
      return { status, body: { code } };
    };
    const secret = this.#secret;
    if (secret === undefined)
      return refuse(503, 'secret_unknown', { signatureError: 'secret_unknown' });
    const verified = verifyWebhookSignature({
      secret,
      payload,
      header: headers['esimlab-signature'],
      nowSeconds: Math.floor(receivedAtMs / 1000),
      toleranceSeconds: WEBHOOK_SIGNATURE_TOLERANCE_SECONDS,
    });
    if (!verified.ok)
      return refuse(401, verified.error.code, { signatureError: verified.error.code });
    const event = parseEvent(payload);
    if (event === undefined) return refuse(400, 'invalid_event', { signatureValid: true });
    const duplicate = this.#appliedIds.has(event.id);
    const entry = { eventId: event.id, type: event.type, signatureValid: true, duplicate };
    if (duplicate && this.#dedupe) {
      this.#deliveries.push({ ...entry, applied: false, status: 200, receivedAtMs });
      return { status: 200, body: { received: true, duplicate: true } };
    }
    this.#appliedIds.add(event.id);
    this.#applied.push(event);
    this.#deliveries.push({ ...entry, applied: true, status: 200, receivedAtMs });
    const matched = this.#waiters.filter((w) => w.predicate(event));
    this.#waiters = this.#waiters.filter((w) => !matched.includes(w));
    for (const waiter of matched) waiter.resolve(event);
    return { status: 200, body: { received: true, duplicate } };
  }
}

function headersOf(init: RequestInit['headers']): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of new Headers(init)) headers[name] = value;
  return headers;
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
