/**
 * How a carrier makes a retried purchase safe (PRODUCT.md): `idempotent` replays a stored
 * answer for a repeated Idempotency-Key; `reference` has no key, so the client looks up its
 * clientReference before buying again; `async` is keyed too, answers 202 and completes later.
 */
export const apiStyles = ['idempotent', 'reference', 'async'] as const;
export type ApiStyle = (typeof apiStyles)[number];

export const isApiStyle = (value: unknown): value is ApiStyle =>
  typeof value === 'string' && (apiStyles as readonly string[]).includes(value);
