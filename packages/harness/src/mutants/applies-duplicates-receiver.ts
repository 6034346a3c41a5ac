import {
  startWebhookReceiver,
  type WebhookReceiver,
  type WebhookReceiverOptions,
} from '@esimlab/client';

/**
 * MUTANT. A webhook receiver that checks signatures but applies every delivery, duplicates
 * included: what a receiver does that credits the app's balance on each POST instead of
 * keying on the event id. Deliveries are at least once, so under `webhook-duplicate` (or a
 * retry of a delivery whose answer was lost) it applies one event twice. The checker must
 * report `event_applied_twice`.
 */
export function startAppliesDuplicatesReceiver(
  options: Omit<WebhookReceiverOptions, 'dedupe'> = {},
): Promise<WebhookReceiver> {
  return startWebhookReceiver({ ...options, dedupe: false });
}
