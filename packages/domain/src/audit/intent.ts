import type { PlanId } from '../catalog/plan.ts';

/**
 * What a client knows about a top-up it attempted (Jepsen's ok / fail / info):
 * `ok` it saw the credit confirmed, `failed` it was told nothing was charged, `unknown`
 * it gave up without knowing.
 */
export type IntentOutcome =
  | { readonly status: 'ok'; readonly topupId?: string }
  | { readonly status: 'failed' }
  | { readonly status: 'unknown' };

export type IntentStatus = IntentOutcome['status'];

/**
 * One top-up a client attempted, however many requests it took. The audit joins it with
 * the gateway's top-up charges by `topupId`, `clientReference` or `idempotencyKey`.
 */
export interface TopupIntent {
  readonly intentId: string;
  readonly iccid: string;
  readonly planId: PlanId;
  readonly clientReference?: string;
  readonly idempotencyKey?: string;
  readonly outcome: IntentOutcome;
}
