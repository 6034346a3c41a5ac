/** The three mock US carriers. */
export const carrierIds = ['att', 'tmobile', 'verizon'] as const;
export type CarrierId = (typeof carrierIds)[number];

export function isCarrierId(value: unknown): value is CarrierId {
  return typeof value === 'string' && (carrierIds as readonly string[]).includes(value);
}

/**
 * How a carrier makes a retried top-up safe, modelled on real provider APIs:
 * - `idempotent`: Stripe-style `Idempotency-Key`, the stored response is replayed;
 * - `reference`: no key; the client looks up its own `clientReference` before retrying;
 * - `async`: 202 now, completion later, reported by webhooks delivered at least once.
 */
export const apiStyles = ['idempotent', 'reference', 'async'] as const;
export type ApiStyle = (typeof apiStyles)[number];

export function isApiStyle(value: unknown): value is ApiStyle {
  return typeof value === 'string' && (apiStyles as readonly string[]).includes(value);
}
