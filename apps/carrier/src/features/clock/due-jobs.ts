import { autoRenewal } from '../renewals/auto-renewal.ts';
import { asyncTopupCompletion } from '../topups/async-completion.ts';
import { planExpiringNotice } from '../webhooks/plan-expiring-notice.ts';
import { webhookDeliveryJob } from '../webhooks/webhook-delivery-job.ts';
import type { DueJob } from './due-work.ts';
import { esimExpiry } from './esim-expiry.ts';

/**
 * Every job that runs when the clock advances, in the order they run: add yours here.
 * Jobs that create balances (renewals, async completions) go before `esimExpiry`;
 * `webhookDeliveryJob` stays last, so events the others emit go out in the same advance.
 */
export const dueJobs: readonly DueJob[] = [
  asyncTopupCompletion,
  autoRenewal,
  esimExpiry,
  planExpiringNotice,
  webhookDeliveryJob,
];
