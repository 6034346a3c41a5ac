import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../app/carrier-context.ts';
import { leases, replicas } from '../persistence/collections.ts';

type RegistryContext = Pick<CarrierContext, 'replica' | 'clock' | 'store'>;

/** The replicas that count as alive right now: this one, and any with a recent heartbeat. */
export interface LiveReplicas {
  has(replicaId: string): boolean;
}

// A dead replica's row is kept a while, so its holds still name a replica someone can look
// up; rows silent for this many leases (and at least a minute) are deleted.
const FORGET_AFTER_LEASES = 6;
const FORGET_AFTER_MIN_MS = 60_000;

/**
 * Reads the replicas alive now, inside the caller's transaction, so a decision to take over
 * work is made against the same snapshot as the work itself. Alone on its store, a replica
 * is the only one alive.
 */
export async function liveReplicas(tx: StoreTx, context: RegistryContext): Promise<LiveReplicas> {
  const self = context.replica.id;
  if (!context.replica.shared) return { has: (id) => id === self };
  const cutoff = context.clock.wallNow() - context.replica.leaseMs;
  const alive = new Set<string>([self]);
  for (const row of await tx.find(replicas, {})) {
    if (row.heartbeatAt >= cutoff) alive.add(row.id);
  }
  return alive;
}

// Pruning reads every row, which makes concurrent heartbeats conflict; once in a while will do.
const PRUNE_EVERY_BEATS = 30;
const beats = new WeakMap<RegistryContext['replica'], number>();

/**
 * Records that this replica is alive (and, on its first beat, that the process it replaces is
 * not), and now and then forgets replicas long dead. One small transaction, on its own timer:
 * a busy sweep or a slow webhook receiver must never delay it.
 */
export async function writeHeartbeat(context: RegistryContext): Promise<void> {
  const { replica } = context;
  if (!replica.shared) return;
  const beat = beats.get(replica) ?? 0;
  beats.set(replica, beat + 1);
  const now = context.clock.wallNow();
  await context.store.transaction(async (tx) => {
    const mine = await tx.get(replicas, replica.id);
    await tx.upsert(replicas, {
      id: replica.id,
      heartbeatAt: now,
      startedAt: mine?.startedAt ?? now,
      index: replica.index,
      pid: process.pid,
    });
    if (mine === undefined && replica.replaces !== undefined) {
      await tx.delete(replicas, replica.replaces);
    }
    if (beat % PRUNE_EVERY_BEATS !== 0) return;
    const forgetBefore = now - Math.max(FORGET_AFTER_MIN_MS, FORGET_AFTER_LEASES * replica.leaseMs);
    for (const row of await tx.find(replicas, {})) {
      if (row.heartbeatAt < forgetBefore) await tx.delete(replicas, row.id);
    }
  });
}

/** On a clean stop: this replica holds nothing any more, so the others need not wait for its lease. */
export async function leaveRegistry(context: RegistryContext): Promise<void> {
  const { replica } = context;
  if (!replica.shared) return;
  await context.store.transaction(async (tx) => {
    await tx.delete(replicas, replica.id);
    for (const lease of await tx.find(leases, {})) {
      if (lease.holder === replica.id) await tx.delete(leases, lease.id);
    }
  });
}
