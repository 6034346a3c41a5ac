import type { Problem } from '../contract/problem.ts';

/** Where a failed request went, for messages and logs. */
export interface RequestTarget {
  readonly method: string;
  readonly url: string;
}

/**
 * The carrier answered with an error status (RFC 9457 problem details). Branch on `code`,
 * the carrier's stable snake_case code (`card_declined`, `idempotency_key_in_use`, …).
 * A body that is not a problem (a proxy's HTML page) gets the code `unexpected_response`.
 */
export class CarrierProblemError extends Error {
  override readonly name = 'CarrierProblemError';
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  /** From `Retry-After` (seconds or an HTTP-date): never retry sooner than this. */
  readonly retryAfterMs: number | undefined;
  /** The problem's contract fields. */
  readonly problem: Problem;
  /** The whole body as received, extensions included (e.g. `topupId`, `faultRule`). */
  readonly raw: Readonly<Record<string, unknown>>;
  readonly method: string;
  readonly url: string;

  constructor(
    target: RequestTarget,
    problem: Problem,
    options: { raw?: Readonly<Record<string, unknown>>; retryAfterMs?: number } = {},
  ) {
    const wait =
      options.retryAfterMs === undefined ? '' : ` (retry after ${options.retryAfterMs} ms)`;
    super(
      `${target.method} ${target.url} answered ${problem.status} ${problem.code}: ${problem.detail}${wait}`,
    );
    this.status = problem.status;
    this.code = problem.code;
    this.title = problem.title;
    this.detail = problem.detail;
    this.retryAfterMs = options.retryAfterMs;
    this.problem = problem;
    this.raw = options.raw ?? { ...problem };
    this.method = target.method;
    this.url = target.url;
  }
}
