import type { FaultPreset } from './fault-preset.ts';

/**
 * The payment gateway is slow: orders (`POST /v1/esims`) and top-ups
 * (`POST /v1/esims/{iccid}/topups`) take 2 to 8 s more (uniform), everything else is normal.
 * A client with a short timeout gives up on purchases that may still go through: the case
 * where a naive retry buys twice.
 */
export const paymentGatewaySlow: FaultPreset = {
  name: 'payment-gateway-slow',
  description: 'orders and top-ups take 2-8 s longer (uniform); other requests are unaffected',
  rules: [
    {
      id: 'payment-gateway-slow-orders',
      match: { method: 'POST', path: '/v1/esims' },
      probability: 1,
      kind: 'latency',
      params: { min: 2000, max: 8000 },
    },
    {
      id: 'payment-gateway-slow-topups',
      match: { method: 'POST', path: '/v1/esims/*/topups' },
      probability: 1,
      kind: 'latency',
      params: { min: 2000, max: 8000 },
    },
  ],
};
