import { err, ok } from '@esimlab/domain';
import type { CarrierClient } from '../../carrier-client.ts';
import type { WebhookEvent } from '../../contract/webhook.ts';
import { CarrierNetworkError } from '../../errors/carrier-network-error.ts';
import { isCarrierRequestError } from '../../errors/carrier-request-error.ts';
import { backoffDelayMs } from '../../retry/backoff.ts';
import type { RetryPolicy } from '../../retry/retry-policy.ts';
import type { AttemptRecord, AttemptRequest, AttemptResult } from '../attempt-record.ts';
import type { TopupIdentifiers, TopupPurchase } from '../topup-purchase.ts';
import type { TopupCall, TopupSession } from '../topup-session.ts';

/** Without a word from the carrier, how long a top-up may take from arrival to commit. */
const FALLBACK_MAX_PROCESSING_MS = 5_000;
/** The settle interval's margin over the carrier's maximum processing time. */
const SETTLE_MARGIN_MS = 500;

export interface SessionSettings {
  readonly client: CarrierClient;
  readonly purchase: TopupPurchase;
  readonly identifiers: TopupIdentifiers;
  readonly policy: RetryPolicy;
  readonly random: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** One clock for timestamps and durations (virtual time); default the platform's two. */
  readonly now?: () => number;
  readonly waitForEvent:
    | ((topupId: string, timeoutMs: number) => Promise<WebhookEvent | undefined>)
    | undefined;
  /** Told about each request as it ends. */
  readonly record: (attempt: AttemptRecord) => void;
}

/** A session whose every carrier request is recorded as an attempt. */
export function recordingSession(settings: SessionSettings): TopupSession {
  const { client, purchase, policy } = settings;
  // Durations come from a monotonic clock unless the caller brings its own clock for both.
  const monotonicNow = settings.now ?? (() => performance.now());
  const unixNow = settings.now ?? Date.now;
  const startedAt = monotonicNow();
  let sleptMs = 0;

  async function attempt<T>(
    request: AttemptRequest,
    tags: Pick<AttemptRecord, 'idempotencyKey' | 'clientReference' | 'topupId'>,
    send: () => Promise<T>,
    describe: (value: T) => Extract<AttemptResult, { type: 'response' }>,
  ): Promise<TopupCall<T>> {
    const startedAtMs = unixNow();
    const started = monotonicNow();
    let call: TopupCall<T>;
    let result: AttemptResult;
    try {
      const value = await send();
      call = ok(value);
      result = describe(value);
    } catch (error) {
      if (!isCarrierRequestError(error)) throw error;
      call = err(error);
      result =
        error instanceof CarrierNetworkError
          ? {
              type: 'network-error',
              kind: error.kind,
              phase: error.phase,
              ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
            }
          : { type: 'response', httpStatus: error.status, code: error.code };
    }
    settings.record({
      request,
      startedAtMs,
      durationMs: monotonicNow() - started,
      ...tags,
      result,
    });
    return call;
  }

  const timeout = { timeoutMs: policy.attemptTimeoutMs };
  return {
    purchase,
    identifiers: settings.identifiers,
    policy,
    create: (identifiers) =>
      attempt(
        'create',
        identifiers,
        () =>
          client.createTopup(
            purchase.iccid,
            {
              planId: purchase.planId,
              paymentMethod: purchase.paymentMethod,
              ...(identifiers.clientReference === undefined
                ? {}
                : { clientReference: identifiers.clientReference }),
            },
            {
              ...timeout,
              ...(identifiers.idempotencyKey === undefined
                ? {}
                : { idempotencyKey: identifiers.idempotencyKey }),
            },
          ),
        (created) => ({
          type: 'response',
          httpStatus: created.httpStatus,
          topupStatus: created.topup.status,
        }),
      ),
    lookup: (clientReference) =>
      attempt(
        'lookup',
        { clientReference },
        () => client.listTopups(purchase.iccid, { clientReference }, timeout),
        () => ({ type: 'response', httpStatus: 200 }),
      ),
    poll: (topupId) =>
      attempt(
        'poll',
        { topupId },
        () => client.getTopup(topupId, timeout),
        (topup) => ({ type: 'response', httpStatus: 200, topupStatus: topup.status }),
      ),
    backoffDelayMs: (retry, retryAfterMs) =>
      backoffDelayMs(retry, policy, settings.random, retryAfterMs),
    settleMs: () =>
      policy.settleMs ?? (client.maxProcessingMs ?? FALLBACK_MAX_PROCESSING_MS) + SETTLE_MARGIN_MS,
    async sleep(ms) {
      sleptMs += Math.max(0, ms);
      await settings.sleep(ms);
    },
    now: () => Math.max(monotonicNow() - startedAt, sleptMs),
    waitForEvent: settings.waitForEvent,
  };
}
