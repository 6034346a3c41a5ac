import {
  verifyWebhookSignature,
  WEBHOOK_SIGNATURE_TOLERANCE_SECONDS,
  type WebhookSignatureErrorCode,
} from '@esimlab/domain';
import type { WebhookEvent } from '../contract/webhook.ts';

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

/** Request headers by lower-case name, as `node:http` or `Headers` give them. */
export type WebhookHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** What a delivery is answered with: the HTTP status and the JSON body. */
export interface WebhookAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/**
 * Calls `fire` once `delayMs` have passed on some clock; returns the cancellation. Injected
 * so that a simulation's waits time out on its virtual clock rather than on real time.
 */
export type WebhookWaitTimer = (delayMs: number, fire: () => void) => () => void;

export interface WebhookInboxOptions {
  /**
   * The endpoint's signing secret, or a function read on each delivery. Until one is known
   * (here or through `setSecret`), deliveries get 503 and the carrier retries them later.
   */
  readonly secret?: string | (() => string | undefined);
  /** How far a signature's time may be from the delivery's; default 300 s. */
  readonly toleranceSeconds?: number;
  /**
   * Default true: an event id already applied is answered 200 and not applied again, as a
   * receiver of at-least-once deliveries must. `false` exists only to build a broken
   * receiver (a mutant) that applies duplicates, so a checker can be shown to catch it.
   */
  readonly dedupe?: boolean;
  /**
   * Applies an event (e.g. credits the app's own balance view). A throw answers 500 and the
   * event is not marked applied, so the carrier's retry applies it.
   */
  readonly onEvent?: (event: WebhookEvent) => void | Promise<void>;
  /** The clock `waitFor` times out on; default real time. */
  readonly setTimer?: WebhookWaitTimer;
}

const DEFAULT_WAIT_MS = 10_000;

interface Waiter {
  readonly predicate: (event: WebhookEvent) => boolean;
  readonly resolve: (event: WebhookEvent | undefined) => void;
}

/** A delivery that passed every check and now holds the claim on its event id. */
interface Claim {
  readonly event: WebhookEvent;
  readonly duplicate: boolean;
  readonly receivedAtMs: number;
}

/**
 * What an app's webhook endpoint decides, without the socket: it checks `Esimlab-Signature`
 * with the endpoint secret (401 on a bad one, 503 while the secret is unknown), applies each
 * event id once (a duplicate is answered 200 without applying it again), records every
 * delivery, and wakes whoever waits for an event. `startWebhookReceiver` puts it behind
 * node:http on real time; a simulation can put it behind `fetch` on a virtual clock.
 */
export class WebhookInbox {
  readonly #secret: WebhookInboxOptions['secret'];
  readonly #tolerance: number;
  readonly #dedupe: boolean;
  readonly #onEvent: WebhookInboxOptions['onEvent'];
  readonly #setTimer: WebhookWaitTimer;
  #secretOverride: string | undefined;
  readonly #deliveries: ReceivedDelivery[] = [];
  readonly #applied: WebhookEvent[] = [];
  readonly #appliedIds = new Set<string>();
  #waiters: Waiter[] = [];

  constructor(options: WebhookInboxOptions = {}) {
    this.#secret = options.secret;
    this.#tolerance = options.toleranceSeconds ?? WEBHOOK_SIGNATURE_TOLERANCE_SECONDS;
    this.#dedupe = options.dedupe ?? true;
    this.#onEvent = options.onEvent;
    this.#setTimer = options.setTimer ?? realTimer;
  }

  /** Sets the secret signatures are checked with, e.g. once the endpoint exists. */
  setSecret(secret: string): void {
    this.#secretOverride = secret;
  }

  /** Every delivery received, in arrival order. */
  events(): readonly ReceivedDelivery[] {
    return [...this.#deliveries];
  }

  /** Every event applied, in order; with dedupe, each event id once. */
  applied(): readonly WebhookEvent[] {
    return [...this.#applied];
  }

  /** One POSTed delivery, its raw body as signed, received at `nowMs` (Unix ms). */
  async receive(headers: WebhookHeaders, rawBody: string, nowMs: number): Promise<WebhookAnswer> {
    const checked = this.#check(headers, rawBody, nowMs);
    if (!('event' in checked)) return checked;
    try {
      await this.#onEvent?.(checked.event);
    } catch (error) {
      return this.#release(checked, error);
    }
    return this.#commit(checked);
  }

  /**
   * `receive`, settled before it returns: for an inbox whose `onEvent` (if any) does not
   * return a promise, so a simulated delivery takes no extra turn of the event loop.
   */
  receiveSync(headers: WebhookHeaders, rawBody: string, nowMs: number): WebhookAnswer {
    const checked = this.#check(headers, rawBody, nowMs);
    if (!('event' in checked)) return checked;
    let pending: unknown;
    try {
      pending = this.#onEvent?.(checked.event);
    } catch (error) {
      return this.#release(checked, error);
    }
    if (isThenable(pending)) {
      // Its outcome is unknown here, so the event stays unclaimed: a bug in the caller.
      if (!checked.duplicate) this.#appliedIds.delete(checked.event.id);
      throw new TypeError('receiveSync needs a synchronous onEvent; use receive instead');
    }
    return this.#commit(checked);
  }

  /** The first applied event (past or future) that `predicate` accepts, or undefined in time. */
  waitFor(
    predicate: (event: WebhookEvent) => boolean,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<WebhookEvent | undefined> {
    const seen = this.#applied.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const cancel = this.#setTimer(timeoutMs, () => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        resolve(undefined);
      });
      const waiter: Waiter = {
        predicate,
        resolve: (event) => {
          cancel();
          resolve(event);
        },
      };
      this.#waiters.push(waiter);
    });
  }

  /** Resolves every pending `waitFor` with undefined: nothing more will arrive. */
  close(): void {
    for (const waiter of this.#waiters) waiter.resolve(undefined);
    this.#waiters = [];
  }

  /** Every check before applying; a refusal or duplicate is answered and recorded here. */
  #check(headers: WebhookHeaders, rawBody: string, nowMs: number): WebhookAnswer | Claim {
    const headerEventId = header(headers, 'esimlab-event-id');
    const refuse = (
      status: number,
      code: string,
      detail: string,
      entry: Partial<ReceivedDelivery> = {},
    ): WebhookAnswer => {
      this.#deliveries.push({
        eventId: headerEventId,
        type: undefined,
        signatureValid: false,
        duplicate: false,
        applied: false,
        ...entry,
        status,
        receivedAtMs: nowMs,
      });
      return { status, body: { code, detail } };
    };
    const secret = this.#currentSecret();
    if (secret === undefined) {
      // Not ready yet: the carrier retries on its backoff schedule.
      return refuse(503, 'secret_unknown', 'the receiver has no secret yet', {
        signatureError: 'secret_unknown',
      });
    }
    const verified = verifyWebhookSignature({
      secret,
      payload: rawBody,
      header: header(headers, 'esimlab-signature'),
      nowSeconds: Math.floor(nowMs / 1000),
      toleranceSeconds: this.#tolerance,
    });
    if (!verified.ok) {
      return refuse(401, verified.error.code, verified.error.message, {
        signatureError: verified.error.code,
      });
    }
    const event = parseEvent(rawBody);
    if (event === undefined) {
      return refuse(400, 'invalid_event', 'the body is not a webhook event', {
        signatureValid: true,
      });
    }
    const duplicate = this.#appliedIds.has(event.id);
    if (duplicate && this.#dedupe) {
      this.#record({ event, duplicate, receivedAtMs: nowMs }, false, 200);
      return { status: 200, body: { received: true, duplicate: true } };
    }
    // Claimed before onEvent runs, so a copy arriving meanwhile is not applied twice.
    this.#appliedIds.add(event.id);
    return { event, duplicate, receivedAtMs: nowMs };
  }

  #commit(claim: Claim): WebhookAnswer {
    this.#applied.push(claim.event);
    this.#record(claim, true, 200);
    const matched = this.#waiters.filter((w) => w.predicate(claim.event));
    this.#waiters = this.#waiters.filter((w) => !matched.includes(w));
    for (const waiter of matched) waiter.resolve(claim.event);
    return { status: 200, body: { received: true, duplicate: claim.duplicate } };
  }

  /** Applying failed: the claim is given up so the carrier's retry can apply the event. */
  #release(claim: Claim, error: unknown): WebhookAnswer {
    if (!claim.duplicate) this.#appliedIds.delete(claim.event.id);
    this.#record(claim, false, 500);
    return { status: 500, body: { code: 'apply_failed', detail: String(error) } };
  }

  #record(claim: Claim, applied: boolean, status: number): void {
    this.#deliveries.push({
      eventId: claim.event.id,
      type: claim.event.type,
      signatureValid: true,
      duplicate: claim.duplicate,
      applied,
      status,
      receivedAtMs: claim.receivedAtMs,
    });
  }

  #currentSecret(): string | undefined {
    if (this.#secretOverride !== undefined) return this.#secretOverride;
    return typeof this.#secret === 'function' ? this.#secret() : this.#secret;
  }
}

const realTimer: WebhookWaitTimer = (delayMs, fire) => {
  const timer = setTimeout(fire, delayMs);
  return () => clearTimeout(timer);
};

function isThenable(value: unknown): boolean {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : value?.[0];
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
