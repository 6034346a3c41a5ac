import type { RetryPolicy } from './retry-policy.ts';

type BackoffPolicy = Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>;

/** The ceiling of the `retry`-th backoff (0-based): `min(maxDelay, base × 2^retry)`. */
export function backoffCeilingMs(retry: number, policy: BackoffPolicy): number {
  if (policy.baseDelayMs <= 0) return 0;
  // 2^1024 is Infinity; min() then gives maxDelay, which is what an endless retry deserves.
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry));
}

/**
 * How long to wait before the `retry`-th retry: exponential backoff with full jitter (a
 * uniform draw below the ceiling), so clients that failed together do not retry together;
 * never sooner than the carrier's `Retry-After`. `random` returns a number in [0, 1).
 */
export function backoffDelayMs(
  retry: number,
  policy: BackoffPolicy,
  random: () => number,
  retryAfterMs?: number,
): number {
  const jittered = random() * backoffCeilingMs(retry, policy);
  return Math.max(jittered, retryAfterMs ?? 0);
}
