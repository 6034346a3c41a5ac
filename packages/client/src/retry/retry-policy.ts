/** How hard `purchaseTopup` tries before it gives up. */
export interface RetryPolicy {
  /** Purchase requests per intent, the first included. */
  readonly maxAttempts: number;
  /** The first backoff's ceiling; each retry doubles it. */
  readonly baseDelayMs: number;
  /** No backoff is longer than this, unless the carrier's `Retry-After` says so. */
  readonly maxDelayMs: number;
  /** Each request's time limit, body included. */
  readonly attemptTimeoutMs: number;
  /**
   * `reference` style: how long to wait after a lost answer before looking up the
   * clientReference. Default: the carrier's `Esimlab-Max-Processing-Ms` + 500 ms, else
   * 5 500 ms. Shorter is only safe when no purchase can still be in flight that long.
   */
  readonly settleMs?: number;
  /** `async` style: how long to wait for a pending top-up to complete. */
  readonly asyncDeadlineMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 100,
  maxDelayMs: 5_000,
  attemptTimeoutMs: 10_000,
  asyncDeadlineMs: 30_000,
};

/** The default policy with `overrides` applied; throws RangeError on a value that makes no sense. */
export function resolveRetryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...overrides };
  const check = (name: keyof RetryPolicy, ok: boolean, wanted: string): void => {
    if (!ok) throw new RangeError(`retry.${name} must be ${wanted}; got ${policy[name]}`);
  };
  check(
    'maxAttempts',
    Number.isInteger(policy.maxAttempts) && policy.maxAttempts >= 1,
    'an integer ≥ 1',
  );
  check('baseDelayMs', policy.baseDelayMs >= 0, 'a number of ms ≥ 0');
  check('maxDelayMs', policy.maxDelayMs >= policy.baseDelayMs, '≥ baseDelayMs');
  check('attemptTimeoutMs', policy.attemptTimeoutMs > 0, 'a number of ms > 0');
  check('asyncDeadlineMs', policy.asyncDeadlineMs >= 0, 'a number of ms ≥ 0');
  check('settleMs', policy.settleMs === undefined || policy.settleMs >= 0, 'a number of ms ≥ 0');
  return policy;
}
