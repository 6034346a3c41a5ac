import type { ApiStyle } from './api-style.ts';

/** How hard the flow tries before it gives up on an intent (`unknown`). */
export interface RechargeRetryPolicy {
  /** Purchase requests per intent, the first included. */
  readonly maxAttempts: number;
  /** The first backoff's ceiling; each retry doubles it. */
  readonly baseDelayMs: number;
  /** No backoff is longer, unless the carrier's Retry-After says so. */
  readonly maxDelayMs: number;
  /** Each request's limit, body included. */
  readonly attemptTimeoutMs: number;
  /** How long a pending (`async`) top-up may take to complete. */
  readonly asyncDeadlineMs: number;
}

export const defaultRechargeRetryPolicy: RechargeRetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 100,
  maxDelayMs: 5_000,
  attemptTimeoutMs: 10_000,
  asyncDeadlineMs: 30_000,
};

/**
 * What `setup()` found and made, handed to every iteration and to `teardown()`. Plain JSON:
 * k6 copies it into each VU.
 */
export interface RechargeRun {
  /** Makes this run's intent keys unique, so a rerun never replays an earlier run's purchases. */
  readonly runId: string;
  readonly scenario: string;
  /**
   * Where setup and teardown go (seed, faults, audit): the first of `baseUrls`, without a
   * trailing slash. Replicas share their state, so one of them is enough.
   */
  readonly baseUrl: string;
  /**
   * Every URL serving this carrier (its replicas), without trailing slashes; `[baseUrl]` for a
   * single process. Iterations spread across them (see `purchaseSession`).
   */
  readonly baseUrls: readonly string[];
  readonly carrier: string;
  readonly apiStyle: ApiStyle;
  readonly apiKey: string;
  readonly adminToken?: string;
  /** The add-on every intent buys: a boost, which a subscriber may hold any number of. */
  readonly planId: string;
  readonly paymentMethod: string;
  /** The seeded subscribers' eSIMs; iteration n buys for `iccids[n % length]`. */
  readonly iccids: readonly string[];
  /** The fault preset or rules armed in setup, for the report. */
  readonly faults: string;
  readonly retry: RechargeRetryPolicy;
}
