import type { CarrierContext } from '../app/carrier-context.ts';
import { MAX_PROCESSING_MS } from '../features/topups/max-processing.ts';
import type { Hold } from '../persistence/collections.ts';
import type { LiveReplicas } from './replica-registry.ts';

/**
 * A replica's own work still held after this long was dropped by a request that failed half
 * way (a transaction that kept conflicting): its own sweep finishes it. Twice the longest a
 * purchase takes, so a request still running is left alone.
 */
export const STALLED_AFTER_MS = 2 * MAX_PROCESSING_MS;

/** A hold on shared work by this replica, from now. */
export function holdNow(context: Pick<CarrierContext, 'replica' | 'clock'>): Hold {
  return { replica: context.replica.id, sinceMs: context.clock.wallNow() };
}

/**
 * Whether work under `hold` has nobody left to finish it, so this replica may take it over:
 * its holder is presumed dead (no heartbeat within the lease), or is this replica and left it
 * stalled. Alone on its store a carrier recovers only at start-up, when nothing is in flight,
 * so there everything held is abandoned.
 */
export function isAbandoned(
  context: Pick<CarrierContext, 'replica' | 'clock'>,
  live: LiveReplicas,
  hold: Hold | undefined,
  stalledAfterMs: number = STALLED_AFTER_MS,
): boolean {
  if (!context.replica.shared || hold === undefined) return true;
  if (hold.replica !== context.replica.id) return !live.has(hold.replica);
  return context.clock.wallNow() - hold.sinceMs > stalledAfterMs;
}
