import type { WebhookEventType } from '@esimlab/domain';
import type { Topup } from './topup.ts';

export { type WebhookEventType, webhookEventTypes } from '@esimlab/domain';

/** A top-up's outcome; `data` is the top-up as `GET /v1/topups/{id}` shows it. */
export interface TopupWebhookEvent {
  readonly id: string;
  readonly type: 'topup.succeeded' | 'topup.failed';
  readonly createdAt: string;
  readonly data: Topup;
}

/** Any other event; `data` always names the `iccid` it is about. */
export interface EsimWebhookEvent {
  readonly id: string;
  readonly type: Exclude<WebhookEventType, TopupWebhookEvent['type']>;
  readonly createdAt: string;
  readonly data: { readonly iccid: string; readonly [field: string]: unknown };
}

/**
 * One delivery's body. Delivered at least once: the same `id` may arrive again (a retry,
 * a duplicate), and events may arrive out of order.
 */
export type WebhookEvent = TopupWebhookEvent | EsimWebhookEvent;

export const isTopupEvent = (event: WebhookEvent): event is TopupWebhookEvent =>
  event.type === 'topup.succeeded' || event.type === 'topup.failed';

/** `POST /v1/webhook-endpoints`. */
export interface WebhookEndpointInput {
  /** http(s) on a loopback host. */
  readonly url: string;
  /** Event types to send there; `*` for all. */
  readonly events: readonly (WebhookEventType | '*')[];
}

export interface WebhookEndpoint {
  readonly id: string;
  readonly url: string;
  readonly events: readonly string[];
  readonly createdAt: string;
}

/** The endpoint as created: the only time its signing secret is shown. */
export interface CreatedWebhookEndpoint extends WebhookEndpoint {
  readonly secret: string;
}

export interface WebhookAttempt {
  readonly at: string;
  /** The receiver's HTTP status, when one came back. */
  readonly statusCode?: number;
  /** Why no status came back (refused, reset, timeout). */
  readonly error?: string;
  readonly durationMs: number;
}

export interface WebhookDelivery {
  readonly id: string;
  /** The same on every attempt: receivers dedupe on it. */
  readonly eventId: string;
  readonly type: string;
  readonly status: 'pending' | 'delivered' | 'failed';
  readonly attempts: readonly WebhookAttempt[];
  /** The next retry, while pending. */
  readonly nextAttemptAt: string | null;
  readonly createdAt: string;
}

/** One page of an endpoint's delivery log, newest first. */
export interface WebhookDeliveryPage {
  readonly data: readonly WebhookDelivery[];
  /** Pass it back as `cursor` for the next, older page; null on the last one. */
  readonly nextCursor: string | null;
}
