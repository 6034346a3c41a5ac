import type { FaultPreset } from './fault-preset.ts';

/**
 * One bar of signal far from a tower: high, long-tailed latency (lognormal, median 600 ms,
 * capped at 8 s), and in list order 10 % of requests never answered (the client's timeout
 * decides), 5 % reset before they arrive, and 10 % of the rest cut off half-way through the
 * response body, like a download that dies when the signal drops.
 */
export const remoteArea: FaultPreset = {
  name: 'remote-area',
  description:
    'weak signal: lognormal latency (median 600 ms), 10 % timeouts, 5 % reset-before, 10 % truncated bodies',
  rules: [
    {
      id: 'remote-area-latency',
      probability: 1,
      kind: 'latency',
      params: { median: 600, sigma: 0.8, cap: 8000 },
    },
    { id: 'remote-area-timeout', probability: 0.1, kind: 'timeout', params: {} },
    { id: 'remote-area-reset-before', probability: 0.05, kind: 'reset-before', params: {} },
    { id: 'remote-area-truncated', probability: 0.1, kind: 'truncated', params: { bytes: 64 } },
  ],
};
