import type { FaultPreset } from './fault-preset.ts';

/**
 * The carrier's API is down: every `/v1/**` request gets a 503 with `Retry-After: 30`, as a
 * carrier in a maintenance window or an incident answers. The QR capability URLs are under
 * /v1 too and fail alike; the control plane, /healthz, /metrics and the docs stay up.
 */
export const carrierOutage: FaultPreset = {
  name: 'carrier-outage',
  description: 'the API is down: 503 with Retry-After: 30 on every /v1/** request',
  rules: [
    {
      id: 'carrier-outage-503',
      match: { path: '/v1/**' },
      probability: 1,
      kind: 'error',
      params: { status: 503, retryAfter: 30 },
    },
  ],
};
