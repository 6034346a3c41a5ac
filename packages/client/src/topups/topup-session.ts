import type { Result } from '@esimlab/domain';
import type { CreatedTopup, Topup } from '../contract/topup.ts';
import type { WebhookEvent } from '../contract/webhook.ts';
import type { CarrierRequestError } from '../errors/carrier-request-error.ts';
import type { RetryPolicy } from '../retry/retry-policy.ts';
import type { TopupIdentifiers, TopupPurchase } from './topup-purchase.ts';

/** One request's result: the answer, or how it failed. Bugs still throw. */
export type TopupCall<T> = Result<T, CarrierRequestError>;

/**
 * What a strategy works with during one purchase: the carrier requests it may make (each
 * one recorded as an attempt), the retry policy, and time. A plain object, so a strategy
 * can hand a changed copy to another (`{ ...session, create: … }`).
 */
export interface TopupSession {
  readonly purchase: TopupPurchase;
  /** The identifiers the intent is recorded under (what `strategy.identify` returned). */
  readonly identifiers: TopupIdentifiers;
  readonly policy: RetryPolicy;
  /** `POST /v1/esims/{iccid}/topups` for the purchase, with these identifiers. */
  create(identifiers: TopupIdentifiers): Promise<TopupCall<CreatedTopup>>;
  /** `GET /v1/esims/{iccid}/topups?clientReference=`: the purchase's top-ups, newest first. */
  lookup(clientReference: string): Promise<TopupCall<readonly Topup[]>>;
  /** `GET /v1/topups/{id}`. */
  poll(topupId: string): Promise<TopupCall<Topup>>;
  /** The wait before the `retry`-th retry (0-based): full jitter, never under `retryAfterMs`. */
  backoffDelayMs(retry: number, retryAfterMs?: number): number;
  /** How long a purchase may still be in flight after its answer was lost. */
  settleMs(): number;
  sleep(ms: number): Promise<void>;
  /**
   * Milliseconds since the purchase began, for deadlines. Time passes when the wall clock
   * moves or when `sleep` is asked to wait, whichever is further: an injected instant sleep
   * still reaches every deadline.
   */
  now(): number;
  /** Resolves with the top-up's `topup.succeeded`/`topup.failed` event, or undefined in time. */
  readonly waitForEvent:
    | ((topupId: string, timeoutMs: number) => Promise<WebhookEvent | undefined>)
    | undefined;
}
