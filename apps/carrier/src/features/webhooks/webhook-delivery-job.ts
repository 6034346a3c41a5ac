import type { DueJob } from '../clock/due-work.ts';
import { deliverDueWebhooks } from './deliver-webhooks.ts';

/**
 * Attempts every webhook delivery that fell due in an advance, retries included, and waits
 * for the receivers' answers. Runs last, so events other jobs emitted go out in the same advance.
 */
export const webhookDeliveryJob: DueJob = {
  name: 'webhook-deliveries',
  run: (context, window) => deliverDueWebhooks(context, window),
};
