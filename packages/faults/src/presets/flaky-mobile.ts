import type { FaultPreset } from './fault-preset.ts';

/**
 * A phone on a congested cell: every request pays a long-tailed delay (lognormal, median
 * 80 ms, capped at 3 s), and some fail the ways a mobile link fails. The rules fall through in
 * order, so of all requests about 2 % are reset before the carrier sees them, 2 % of the rest
 * are carried out but their answer is lost to a reset (the duplicate-charge trap), and 3 % of
 * what remains get a 503 with Retry-After. The control plane, /healthz and /metrics are spared.
 */
export const flakyMobile: FaultPreset = {
  name: 'flaky-mobile',
  description:
    'congested mobile link: lognormal latency (median 80 ms), 2 % reset-before, 2 % reset-after-commit, 3 % 503',
  rules: [
    {
      id: 'flaky-mobile-latency',
      probability: 1,
      kind: 'latency',
      params: { median: 80, sigma: 0.6, cap: 3000 },
    },
    { id: 'flaky-mobile-reset-before', probability: 0.02, kind: 'reset-before', params: {} },
    {
      id: 'flaky-mobile-reset-after-commit',
      probability: 0.02,
      kind: 'reset-after-commit',
      params: {},
    },
    {
      id: 'flaky-mobile-503',
      probability: 0.03,
      kind: 'error',
      params: { status: 503, retryAfter: 1 },
    },
  ],
};
