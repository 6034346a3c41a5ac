import type { RequestTarget } from './carrier-problem-error.ts';

/**
 * How a request failed on the wire:
 * - `refused`: no connection at all (nothing listening); the carrier never saw the request;
 * - `reset`: the connection was dropped (TCP RST, or closed with no answer);
 * - `timeout`: no complete answer within the attempt's time limit;
 * - `truncated`: the answer started but its body was cut short;
 * - `other`: anything else (DNS, an unreadable body, …).
 */
export type NetworkErrorKind = 'refused' | 'reset' | 'timeout' | 'truncated' | 'other';

/**
 * `before-response`: no status line arrived; `after-headers`: the status and headers arrived
 * (so the carrier did process the request) but the body did not.
 */
export type NetworkErrorPhase = 'before-response' | 'after-headers';

const codes = {
  refused: 'connection_refused',
  reset: 'connection_reset',
  timeout: 'request_timeout',
  truncated: 'response_truncated',
  other: 'network_error',
} as const satisfies Record<NetworkErrorKind, string>;

export type NetworkErrorCode = (typeof codes)[NetworkErrorKind];

const what: Record<NetworkErrorKind, string> = {
  refused: 'the connection was refused',
  reset: 'the connection was reset',
  timeout: 'no answer came in time',
  truncated: 'the answer was cut short',
  other: 'the request failed',
};

/**
 * A request that got no complete answer. Unless `kind` is `refused`, the carrier may have
 * processed it: retry only in a way that is safe to repeat (the same Idempotency-Key, or a
 * lookup of the clientReference first).
 */
export class CarrierNetworkError extends Error {
  override readonly name = 'CarrierNetworkError';
  readonly code: NetworkErrorCode;
  readonly kind: NetworkErrorKind;
  readonly phase: NetworkErrorPhase;
  /** The status line's code, when the failure came after the headers. */
  readonly httpStatus: number | undefined;
  readonly method: string;
  readonly url: string;

  constructor(
    target: RequestTarget,
    failure: {
      kind: NetworkErrorKind;
      phase: NetworkErrorPhase;
      httpStatus?: number;
      reason: string;
      cause?: unknown;
    },
  ) {
    const when =
      failure.phase === 'before-response'
        ? 'before any response'
        : `after the headers of a ${failure.httpStatus ?? 'response'}`;
    const advice =
      failure.kind === 'refused'
        ? 'the carrier never saw the request; check that it is running at this address'
        : 'the carrier may have processed it; retry only with the same Idempotency-Key, or look up the clientReference first';
    super(
      `${target.method} ${target.url}: ${what[failure.kind]} ${when} (${failure.reason}); ${advice}`,
      failure.cause === undefined ? undefined : { cause: failure.cause },
    );
    this.code = codes[failure.kind];
    this.kind = failure.kind;
    this.phase = failure.phase;
    this.httpStatus = failure.httpStatus;
    this.method = target.method;
    this.url = target.url;
  }

  /** False only when the request certainly never reached the carrier. */
  get mayHaveBeenProcessed(): boolean {
    return this.kind !== 'refused';
  }
}
