import { CarrierNetworkError } from '../errors/carrier-network-error.ts';
import { CarrierProblemError } from '../errors/carrier-problem-error.ts';
import type { CarrierRequestError } from '../errors/carrier-request-error.ts';
import type { TopupOutcome } from './topup-outcome.ts';

/**
 * What a failed top-up request tells the client:
 * - `rejected`: the carrier refused this purchase for good (a decline, a validation error,
 *   an unknown eSIM or plan); nothing was or will be charged for it;
 * - `retry`: nothing was charged and a retry may succeed (402 `processing_error`, 429, or a
 *   refused connection: the carrier never saw the request);
 * - `in-progress`: a request with the same Idempotency-Key is still running (409);
 * - `ambiguous`: the purchase may or may not have gone through (a lost or cut answer, a
 *   timeout, a 5xx): only a retry that is safe to repeat may follow.
 */
export type TopupFailureClass = 'rejected' | 'retry' | 'in-progress' | 'ambiguous';

export function classifyTopupFailure(error: CarrierRequestError): TopupFailureClass {
  if (error instanceof CarrierNetworkError) return error.kind === 'refused' ? 'retry' : 'ambiguous';
  // A 5xx may come from anywhere on the way, after the purchase or before it: the client
  // cannot tell an injected 503 at the front door from a crash after the charge.
  if (error.status >= 500) return 'ambiguous';
  if (error.status === 429 || error.code === 'processing_error') return 'retry';
  if (error.code === 'idempotency_key_in_use') return 'in-progress';
  return 'rejected';
}

/** The carrier's `Retry-After`, when the failure carried one. */
export const retryAfterOf = (error: CarrierRequestError | undefined): number | undefined =>
  error === undefined || error instanceof CarrierNetworkError ? undefined : error.retryAfterMs;

/** The outcome of a purchase the carrier rejected: failed, with its problem. */
export function rejectedOutcome(error: CarrierRequestError): TopupOutcome {
  return error instanceof CarrierNetworkError
    ? { status: 'unknown', reason: error.message }
    : { status: 'failed', problem: error.problem };
}

/** The outcome of a purchase the client gave up on: unknown, saying what it last saw. */
export function gaveUpOutcome(
  requests: number,
  last: CarrierRequestError | undefined,
  what = 'purchase',
): TopupOutcome {
  return {
    status: 'unknown',
    reason: `no definite answer after ${requests} ${what} request${requests === 1 ? '' : 's'}${last === undefined ? '' : ` (last: ${last.message})`}; the top-up may or may not have gone through`,
  };
}

/**
 * The outcome once retries ran out after answers that each said nothing was charged (a
 * retryable decline, a 429, a refused connection): failed, with the last problem. Only when
 * some attempt may have gone through is the outcome `unknown` (`gaveUpOutcome`).
 */
export function exhaustedOutcome(last: CarrierRequestError | undefined): TopupOutcome {
  return last instanceof CarrierProblemError
    ? { status: 'failed', problem: last.problem }
    : { status: 'failed' };
}

/** A retryable decline the carrier's handler gave after checking the key: nothing was bought under it. */
export const isDefiniteDecline = (error: CarrierRequestError | undefined): boolean =>
  error instanceof CarrierProblemError && error.code === 'processing_error';
