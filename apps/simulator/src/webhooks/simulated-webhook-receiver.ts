import {
  type ReceivedDelivery,
  type WebhookEvent,
  WebhookInbox,
  type WebhookReceiver,
} from '@esimlab/client';
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

/**
 * An app's webhook endpoint inside the simulation: the carrier's signed POSTs reach it through
 * `fetch` without a socket. It is the client's `WebhookInbox`, as in `startWebhookReceiver`,
 * on virtual time: signatures are checked against virtual Unix time and `waitFor` times out
 * on the virtual clock.
 */
export class SimulatedWebhookReceiver implements WebhookReceiver {
  readonly url: string;
  readonly #clock: VirtualClock;
  readonly #inbox: WebhookInbox;
  readonly #unroute: () => void;

  constructor(options: SimulatedWebhookReceiverOptions) {
    const { clock } = options;
    this.#clock = clock;
    this.#inbox = new WebhookInbox({
      ...(options.dedupe === undefined ? {} : { dedupe: options.dedupe }),
      setTimer: (delayMs, fire) => {
        const timer = clock.setTimer(delayMs, fire);
        return () => timer.cancel();
      },
    });
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
    this.#inbox.setSecret(secret);
  }

  events(): readonly ReceivedDelivery[] {
    return this.#inbox.events();
  }

  applied(): readonly WebhookEvent[] {
    return this.#inbox.applied();
  }

  waitFor(
    predicate: (event: WebhookEvent) => boolean,
    timeoutMs?: number,
  ): Promise<WebhookEvent | undefined> {
    return this.#inbox.waitFor(predicate, timeoutMs);
  }

  async close(): Promise<void> {
    this.#unroute();
    this.#inbox.close();
  }

  /** One POST from the carrier: the status and body it is answered with, settled at once. */
  receive(
    headers: Readonly<Record<string, string>>,
    payload: string,
  ): { readonly status: number; readonly body: Record<string, unknown> } {
    return this.#inbox.receiveSync(headers, payload, this.#clock.now());
  }
}

function headersOf(init: RequestInit['headers']): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of new Headers(init)) headers[name] = value;
  return headers;
}
