import { isRecord, jsonBody } from './internal/json-body.ts';
import type { LoadAnswer } from './load-runtime.ts';

/** The fields of a carrier's Topup the flow reads. */
export interface TopupView {
  readonly id: string;
  readonly status: 'pending' | 'succeeded' | 'failed';
  readonly failureCode?: string;
}

/**
 * What a failed purchase request tells the client (as the client package classifies it):
 * - `rejected`: refused for good (a decline, an unknown eSIM or plan): nothing was charged;
 * - `retry`: nothing was charged and a retry may succeed (429, 402 `processing_error`, or a
 *   refused connection: the carrier never saw the request);
 * - `in-progress`: a request with the same Idempotency-Key is still running (409);
 * - `ambiguous`: it may or may not have gone through (a lost or cut answer, a timeout, a 5xx,
 *   or a 2xx whose body cannot be read).
 */
export type FailureClass = 'rejected' | 'retry' | 'in-progress' | 'ambiguous';

export type TopupAnswer =
  | { readonly type: 'topup'; readonly topup: TopupView }
  | {
      readonly type: 'failure';
      readonly failure: FailureClass;
      /** The problem's code, or the network failure's kind. */
      readonly code: string;
      readonly retryAfterMs?: number;
      /** A 2xx was seen before the body went missing: the purchase committed. */
      readonly committed: boolean;
    };

/** Reads a purchase or poll answer: the top-up, or how the request failed. */
export function readTopupAnswer(answer: LoadAnswer): TopupAnswer {
  if (answer.type === 'network-error') {
    return {
      type: 'failure',
      failure: answer.kind === 'refused' ? 'retry' : 'ambiguous',
      code: answer.kind,
      committed: answer.status !== undefined && answer.status >= 200 && answer.status < 300,
    };
  }
  const body = jsonBody(answer.body);
  if (answer.status >= 200 && answer.status < 300) {
    const topup = topupOf(body);
    if (topup) return { type: 'topup', topup };
    // The carrier acted, but its answer cannot be read.
    return { type: 'failure', failure: 'ambiguous', code: 'unreadable_body', committed: true };
  }
  const code =
    isRecord(body) && typeof body.code === 'string' ? body.code : `http_${answer.status}`;
  const retryAfterMs = retryAfterOf(answer.headers);
  return {
    type: 'failure',
    failure: classify(answer.status, code),
    code,
    committed: false,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

/** The top-ups of a `GET /v1/esims/{iccid}/topups` answer, or undefined when unreadable. */
export function topupListOf(answer: LoadAnswer): readonly TopupView[] | undefined {
  if (answer.type !== 'response' || answer.status !== 200) return undefined;
  const body = jsonBody(answer.body);
  if (!isRecord(body) || !Array.isArray(body.data)) return undefined;
  const topups = body.data.map(topupOf);
  return topups.every((t) => t !== undefined) ? (topups as TopupView[]) : undefined;
}

function classify(status: number, code: string): FailureClass {
  // A 5xx may come from anywhere on the way, before the purchase or after it.
  if (status >= 500) return 'ambiguous';
  if (status === 429 || code === 'processing_error') return 'retry';
  if (code === 'idempotency_key_in_use') return 'in-progress';
  return 'rejected';
}

function topupOf(value: unknown): TopupView | undefined {
  if (!isRecord(value) || typeof value.id !== 'string') return undefined;
  const { status } = value;
  if (status !== 'pending' && status !== 'succeeded' && status !== 'failed') return undefined;
  return {
    id: value.id,
    status,
    ...(typeof value.failureCode === 'string' ? { failureCode: value.failureCode } : {}),
  };
}

/** `Retry-After` in whole seconds (all the carrier sends), as milliseconds. */
function retryAfterOf(headers: Readonly<Record<string, string>>): number | undefined {
  const raw = headers['retry-after'];
  if (raw === undefined || !/^\d+$/.test(raw.trim())) return undefined;
  return Number(raw.trim()) * 1000;
}
