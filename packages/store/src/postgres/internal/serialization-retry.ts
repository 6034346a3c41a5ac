import pg from 'pg';

/** SQLSTATEs after which PostgreSQL has rolled back a transaction that may succeed if re-run. */
const retryableStates = new Set([
  '40001', // serialization_failure: SERIALIZABLE found no serial order that allows this one
  '40P01', // deadlock_detected: this one was picked as the victim
]);

export function isSerializationFailure(error: unknown): boolean {
  return error instanceof pg.DatabaseError && retryableStates.has(error.code ?? '');
}

export function isUniqueViolation(error: unknown): error is pg.DatabaseError {
  return error instanceof pg.DatabaseError && error.code === '23505';
}

/** An attempt either committed, or lost a race and was rolled back so it can run again. */
export type AttemptOutcome<T> =
  | { readonly kind: 'committed'; readonly value: T }
  | { readonly kind: 'conflicted'; readonly error: unknown };

export const firstRetryDelayMs = 2;
export const maxRetryDelayMs = 250;

/**
 * "Full jitter" exponential backoff before attempt `attempt + 1`: a random wait up to a cap
 * that doubles per attempt, so two processes that just collided rarely collide again.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const cap = Math.min(maxRetryDelayMs, firstRetryDelayMs * 2 ** (attempt - 1));
  return random() * cap;
}
