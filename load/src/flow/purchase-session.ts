import { backoffDelayMs } from './internal/backoff.ts';
import type { LoadRequest, LoadRuntime } from './load-runtime.ts';
import type { RechargeRetryPolicy, RechargeRun } from './recharge-run.ts';
import { readTopupAnswer, type TopupAnswer, type TopupView, topupListOf } from './topup-answer.ts';

/** Without a word from the carrier, how long a top-up may take from arrival to commit. */
const FALLBACK_MAX_PROCESSING_MS = 5_000;
/** The settle interval's margin over the carrier's maximum processing time. */
const SETTLE_MARGIN_MS = 500;

export type LookupAnswer =
  | { readonly type: 'list'; readonly topups: readonly TopupView[] }
  | Extract<TopupAnswer, { type: 'failure' }>;

/** What a purchase strategy may do for one intent; every request counts in the metrics. */
export interface PurchaseSession {
  readonly run: RechargeRun;
  readonly iccid: string;
  /** Unique per intent across runs: the basis of its Idempotency-Key and clientReference. */
  readonly intentKey: string;
  readonly policy: RechargeRetryPolicy;
  /** `POST /v1/esims/{iccid}/topups` with these identifiers. */
  create(identifiers: {
    readonly idempotencyKey?: string;
    readonly clientReference: string;
  }): Promise<TopupAnswer>;
  /** `GET /v1/esims/{iccid}/topups?clientReference=…`, newest first. */
  lookup(clientReference: string): Promise<LookupAnswer>;
  /** `GET /v1/topups/{id}`. */
  poll(topupId: string): Promise<TopupAnswer>;
  sleep(ms: number): Promise<void>;
  /** The wait before the `retry`-th retry (0-based), at least `retryAfterMs`. */
  backoffMs(retry: number, retryAfterMs?: number): number;
  /**
   * `reference` style: how long to wait after a lost answer before looking up the
   * reference: longer than the carrier's maximum processing time, so nothing is still in flight.
   */
  settleMs(): number;
  now(): number;
  /** Purchase requests sent so far. */
  readonly purchaseRequests: number;
}

/**
 * A session for one intent against the run's carrier. With several replicas (`run.baseUrls`)
 * it behaves like a client behind a load balancer with keep-alive connections: the intent
 * starts on replica `firstReplica` and stays there while answers come back; a request that got
 * none (refused, reset, timed out: the connection is gone) moves it to the next replica, so a
 * retry of a lost purchase reaches another process under the same key or reference.
 */
export function purchaseSession(
  runtime: LoadRuntime,
  run: RechargeRun,
  iccid: string,
  intentKey: string,
  firstReplica = 0,
): PurchaseSession {
  let purchaseRequests = 0;
  let maxProcessingMs: number | undefined;
  let replica = firstReplica;
  const authorized = {
    accept: 'application/json, application/problem+json',
    authorization: `Bearer ${run.apiKey}`,
  };
  const baseUrl = () => run.baseUrls[replica % run.baseUrls.length] ?? run.baseUrl;
  const send = async (request: Omit<LoadRequest, 'timeoutMs' | 'url'>, path: string) => {
    const answer = await runtime.request({
      ...request,
      url: `${baseUrl()}${path}`,
      timeoutMs: run.retry.attemptTimeoutMs,
    });
    if (answer.type === 'network-error') replica += 1;
    return answer;
  };
  const esimPath = `/v1/esims/${encodeURIComponent(iccid)}`;

  return {
    run,
    iccid,
    intentKey,
    policy: run.retry,
    get purchaseRequests() {
      return purchaseRequests;
    },
    async create({ idempotencyKey, clientReference }) {
      purchaseRequests += 1;
      const answer = await send(
        {
          method: 'POST',
          name: 'topup.create',
          headers: {
            ...authorized,
            'content-type': 'application/json',
            ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
          },
          body: JSON.stringify({
            planId: run.planId,
            paymentMethod: run.paymentMethod,
            clientReference,
          }),
        },
        `${esimPath}/topups`,
      );
      if (answer.type === 'response') {
        maxProcessingMs = maxProcessingOf(answer.headers) ?? maxProcessingMs;
      }
      return readTopupAnswer(answer);
    },
    async lookup(clientReference) {
      const answer = await send(
        { method: 'GET', name: 'topup.lookup', headers: authorized },
        `${esimPath}/topups?clientReference=${encodeURIComponent(clientReference)}`,
      );
      const topups = topupListOf(answer);
      if (topups !== undefined) return { type: 'list', topups };
      const read = readTopupAnswer(answer);
      // A 200 without a readable list cannot be trusted to mean "absent".
      return read.type === 'failure'
        ? read
        : { type: 'failure', failure: 'ambiguous', code: 'unreadable_body', committed: false };
    },
    async poll(topupId) {
      return readTopupAnswer(
        await send(
          { method: 'GET', name: 'topup.poll', headers: authorized },
          `/v1/topups/${encodeURIComponent(topupId)}`,
        ),
      );
    },
    sleep: (ms) => runtime.sleep(ms),
    backoffMs: (retry, retryAfterMs) =>
      backoffDelayMs(retry, run.retry, () => runtime.random(), retryAfterMs),
    settleMs: () => (maxProcessingMs ?? FALLBACK_MAX_PROCESSING_MS) + SETTLE_MARGIN_MS,
    now: () => runtime.now(),
  };
}

function maxProcessingOf(headers: Readonly<Record<string, string>>): number | undefined {
  const value = Number(headers['esimlab-max-processing-ms']);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}
