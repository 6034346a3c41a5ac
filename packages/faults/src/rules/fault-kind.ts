/**
 * The ways a request, a webhook or a device can fail, as real mobile networks and carriers
 * fail. `latency` adds up across matching rules; every other kind is terminal: the first
 * matching terminal rule decides what happens.
 */
export const httpFaultKinds = [
  'latency',
  'error',
  'timeout',
  'reset-before',
  'reset-after-commit',
  'truncated',
  'slow-body',
  'crash',
] as const;

export const webhookFaultKinds = [
  'webhook-duplicate',
  'webhook-delay',
  'webhook-reorder',
  'webhook-drop',
] as const;

export const deviceFaultKinds = ['coverage-gap', 'weak-signal'] as const;

export const faultKinds = [...httpFaultKinds, ...webhookFaultKinds, ...deviceFaultKinds] as const;

export type HttpFaultKind = (typeof httpFaultKinds)[number];
export type WebhookFaultKind = (typeof webhookFaultKinds)[number];
export type DeviceFaultKind = (typeof deviceFaultKinds)[number];
export type FaultKind = (typeof faultKinds)[number];

/** Where a kind applies: HTTP requests to the carrier, webhook deliveries from it, or devices. */
export function faultTarget(kind: FaultKind): 'http' | 'webhook' | 'device' {
  if ((webhookFaultKinds as readonly string[]).includes(kind)) return 'webhook';
  if ((deviceFaultKinds as readonly string[]).includes(kind)) return 'device';
  return 'http';
}
