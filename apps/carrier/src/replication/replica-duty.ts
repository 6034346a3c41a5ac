import type { CarrierContext } from '../app/carrier-context.ts';
import { leases } from '../persistence/collections.ts';
import { liveReplicas } from './replica-registry.ts';

/**
 * Whether this replica performs the duty `name` now: it already does, or nobody alive does
 * and it takes it. One replica at a time runs, e.g., the wall-time due work, so N replicas do
 * not scan every eSIM N times a second; the duty moves on when its holder dies.
 */
export async function takeDuty(context: CarrierContext, name: string): Promise<boolean> {
  if (!context.replica.shared) return true;
  const self = context.replica.id;
  return context.store.transaction(async (tx) => {
    const lease = await tx.get(leases, name);
    if (lease?.holder === self) return true;
    if (lease !== undefined && (await liveReplicas(tx, context)).has(lease.holder)) return false;
    await tx.upsert(leases, { id: name, holder: self, sinceMs: context.clock.wallNow() });
    return true;
  });
}
