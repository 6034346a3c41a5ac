/** Every event type a carrier sends to webhook endpoints; part of the HTTP contract. */
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

export const isWebhookEventType = (value: string): value is WebhookEventType =>
  (webhookEventTypes as readonly string[]).includes(value);
