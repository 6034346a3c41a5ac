export { isWebhookEventType, type WebhookEventType, webhookEventTypes } from '@esimlab/domain';

/** An endpoint subscribed to `*` receives every type, including ones added later. */
export const ALL_WEBHOOK_EVENTS = '*';
