/** Every event type the carrier sends to webhook endpoints. */
export const webhookEventTypes = [
  'topup.succeeded',
  'topup.failed',
  'esim.activated',
  'balance.low',
  'balance.depleted',
  'plan.expiring',
  'plan.renewed',
  'plan.renewal_failed',
  'esim.suspended',
] as const;

export type WebhookEventType = (typeof webhookEventTypes)[number];

/** An endpoint subscribed to `*` receives every type, including ones added later. */
export const ALL_WEBHOOK_EVENTS = '*';

export const isWebhookEventType = (value: string): value is WebhookEventType =>
  (webhookEventTypes as readonly string[]).includes(value);
