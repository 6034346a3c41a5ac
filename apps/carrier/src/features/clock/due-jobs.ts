import { asyncTopupCompletion } from '../topups/async-completion.ts';
import type { DueJob } from './due-work.ts';
import { esimExpiry } from './esim-expiry.ts';

/**
 * Every job that runs when the clock advances, in the order they run: add yours here.
 * Jobs that create balances (renewals, async completions) go before `esimExpiry`.
 */
export const dueJobs: readonly DueJob[] = [asyncTopupCompletion, esimExpiry];
