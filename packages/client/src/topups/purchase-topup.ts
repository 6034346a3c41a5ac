import type { IntentOutcome, PlanId, TopupIntent } from '@esimlab/domain';
import type { CarrierClient } from '../carrier-client.ts';
import type { WebhookEvent } from '../contract/webhook.ts';
import { type RetryPolicy, resolveRetryPolicy } from '../retry/retry-policy.ts';
import type { AttemptRecord } from './attempt-record.ts';
import { recordingSession } from './internal/recording-session.ts';
import type { TopupOutcome } from './topup-outcome.ts';
import type { TopupPurchase } from './topup-purchase.ts';
import { topupStrategies } from './topup-strategies.ts';
import type { TopupStrategy } from './topup-strategy.ts';

export interface PurchaseTopupOptions {
  /** A strategy, or the name of a correct one; default `idempotent`. */
  readonly strategy?: TopupStrategy | keyof typeof topupStrategies;
  readonly retry?: Partial<RetryPolicy>;
  /** The jitter's source, in [0, 1); inject a seeded one to replay a run. Default Math.random. */
  readonly random?: () => number;
  /** Default: a real timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * The clock attempts are timed and deadlines measured with, in Unix ms; inject it with
   * `sleep` to run on virtual time. Default: `Date.now` for timestamps and `performance.now`
   * for durations.
   */
  readonly now?: () => number;
  /**
   * `async` style: resolves with the top-up's `topup.succeeded`/`topup.failed` webhook, or
   * undefined after `timeoutMs` (e.g. a `WebhookReceiver`'s `waitFor`). Without it, the
   * strategy polls.
   */
  readonly waitForEvent?: (topupId: string, timeoutMs: number) => Promise<WebhookEvent | undefined>;
  /** Told about each request as it ends. */
  readonly onAttempt?: (attempt: AttemptRecord) => void;
}

export interface TopupResult {
  readonly outcome: TopupOutcome;
  /** The intent as the audit reads it (`POST /_sim/audit`). */
  readonly intent: TopupIntent;
  /** Every request made, in order. */
  readonly attempts: readonly AttemptRecord[];
}

const timerSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Buys a top-up and retries it safely for the carrier's API style, until it knows the
 * outcome or gives up. Never throws for a carrier or network failure: those end in an
 * outcome (`failed` when the carrier said nothing was charged, `unknown` when it gave up).
 */
export async function purchaseTopup(
  client: CarrierClient,
  purchase: TopupPurchase,
  options: PurchaseTopupOptions = {},
): Promise<TopupResult> {
  const strategy =
    typeof options.strategy === 'object'
      ? options.strategy
      : topupStrategies[options.strategy ?? 'idempotent'];
  const policy = resolveRetryPolicy(options.retry);
  const identifiers = strategy.identify(purchase);
  const attempts: AttemptRecord[] = [];
  const session = recordingSession({
    client,
    purchase,
    identifiers,
    policy,
    random: options.random ?? Math.random,
    sleep: options.sleep ?? timerSleep,
    ...(options.now === undefined ? {} : { now: options.now }),
    waitForEvent: options.waitForEvent,
    record: (attempt) => {
      attempts.push(attempt);
      options.onAttempt?.(attempt);
    },
  });
  const outcome = await strategy.purchase(session);
  const intentOutcome: IntentOutcome =
    outcome.status === 'ok'
      ? { status: 'ok', topupId: outcome.topup.id }
      : { status: outcome.status };
  return {
    outcome,
    intent: {
      intentId: purchase.intentId,
      iccid: purchase.iccid,
      // The carrier's plan ids are what PlanId brands.
      planId: purchase.planId as PlanId,
      ...(identifiers.clientReference === undefined
        ? {}
        : { clientReference: identifiers.clientReference }),
      ...(identifiers.idempotencyKey === undefined
        ? {}
        : { idempotencyKey: identifiers.idempotencyKey }),
      outcome: intentOutcome,
    },
    attempts,
  };
}
