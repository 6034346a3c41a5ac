import type { RechargeRetryPolicy } from '../recharge-run.ts';

/**
 * How long to wait before the `retry`-th retry (0-based): exponential backoff with full
 * jitter, so VUs that failed together do not retry together; never sooner than Retry-After.
 */
export function backoffDelayMs(
  retry: number,
  policy: Pick<RechargeRetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number,
  retryAfterMs?: number,
): number {
  const ceiling =
    policy.baseDelayMs <= 0
      ? 0
      : Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry));
  return Math.max(random() * ceiling, retryAfterMs ?? 0);
}
