/** Where an `Idempotency-Key` is unique: the same key in another scope is another key. */
export interface IdempotencyScope {
  readonly tenantId: string;
  readonly method: string;
  readonly path: string;
}

/** A stored idempotency key and the request it was first used for. */
export interface IdempotencyRecord {
  readonly key: string;
  readonly scope: IdempotencyScope;
  /** Identifies the request (its parsed JSON body); two fingerprints mean two requests. */
  readonly requestFingerprint: string;
}

/** `dev POST /v1/esims`, for messages and grouping. */
export const formatIdempotencyScope = (scope: IdempotencyScope): string =>
  `${scope.tenantId} ${scope.method} ${scope.path}`;
