import { randomBytes } from 'node:crypto';
import type { Store } from '@esimlab/store';

/**
 * This carrier process as one replica among the processes that share its store. On PostgreSQL
 * several replicas of one carrier share one schema; on SQLite or the memory store a carrier is
 * one process, and the replica is alone.
 */
export interface Replica {
  /** Unique per process start; the holds it takes on shared work carry it. */
  readonly id: string;
  /** The replica's slot, 0 for the first; a restarted process keeps its slot, not its id. */
  readonly index: number;
  /** Whether other processes may share the store: then liveness comes from heartbeats. */
  readonly shared: boolean;
  /** A replica whose last heartbeat is older than this is presumed dead. */
  readonly leaseMs: number;
  /** How often this replica writes its heartbeat. */
  readonly heartbeatEveryMs: number;
  /** The instance this process replaces (the previous process of its slot), known to be dead. */
  readonly replaces?: string;
}

export interface ReplicaOptions {
  /** Default: `<carrier>-<index>-<random>`. */
  readonly id?: string;
  /** Default 0. */
  readonly index?: number;
  /** The previous process of this slot, which the launcher saw exit: its work is taken at once. */
  readonly replaces?: string;
  /** Default `DEFAULT_REPLICA_LEASE_MS`; at least `MIN_REPLICA_LEASE_MS`. */
  readonly leaseMs?: number;
  /**
   * Re-read the shared settings (clock offset, fault rules, resets) at the start of each
   * request; default: when the store is shared. Off only to measure what it costs.
   */
  readonly refreshPerRequest?: boolean;
}

/**
 * Long enough that a replica busy with a burst of load, or paused by its garbage collector,
 * is not presumed dead; short enough that a killed replica's sagas finish within seconds.
 */
export const DEFAULT_REPLICA_LEASE_MS = 10_000;
export const MIN_REPLICA_LEASE_MS = 1_000;

/** Whether several processes can open this store at once (PostgreSQL), or only one. */
export const isSharedStore = (store: Store): boolean => store.kind === 'postgres';

export function replicaOf(carrier: string, store: Store, options: ReplicaOptions = {}): Replica {
  const index = options.index ?? 0;
  const leaseMs = options.leaseMs ?? DEFAULT_REPLICA_LEASE_MS;
  if (!Number.isInteger(leaseMs) || leaseMs < MIN_REPLICA_LEASE_MS) {
    throw new RangeError(
      `the replica lease must be a whole number of ms ≥ ${MIN_REPLICA_LEASE_MS}; got ${leaseMs}`,
    );
  }
  return {
    id: options.id ?? `${carrier}-${index}-${randomBytes(4).toString('hex')}`,
    index,
    shared: isSharedStore(store),
    leaseMs,
    // Four beats per lease: one or two late beats (a busy event loop) do not look like death.
    heartbeatEveryMs: Math.min(1000, Math.floor(leaseMs / 4)),
    ...(options.replaces === undefined ? {} : { replaces: options.replaces }),
  };
}
