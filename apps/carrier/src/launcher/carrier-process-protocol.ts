import type { CarrierId } from '@esimlab/domain';
import type { FaultRule } from '@esimlab/faults';
import type { LogLevel } from '../config/carrier-config.ts';
import type { CrashPoint } from '../runtime/crash-points.ts';

/**
 * What the supervisor tells one carrier process to run. It travels over the IPC channel,
 * not argv or the environment, so the admin token never shows in `ps`.
 */
export interface CarrierProcessConfig {
  readonly carrier: CarrierId;
  readonly host: string;
  /** 0 means any free port; the process reports the one it got. */
  readonly port: number;
  readonly store:
    | { readonly kind: 'memory' }
    | { readonly kind: 'sqlite'; readonly file: string }
    | { readonly kind: 'postgres'; readonly url: string; readonly schema: string };
  /** Which replica of the carrier this process is, when several share a PostgreSQL schema. */
  readonly replica: ReplicaProcessConfig;
  readonly adminToken?: string;
  readonly logLevel: LogLevel;
  /** How long in-flight requests may take to finish after SIGTERM before sockets are cut. */
  readonly drainGraceMs: number;
  /** The store refuses nested transactions (`detectNestedTransactions`). */
  readonly checkNestedTransactions: boolean;
  /** Saga crash points armed once start-up recovery is done; sent to a carrier's first process only. */
  readonly crashPoints?: readonly CrashPoint[];
  /** Fault rules replacing the stored ones; sent to a carrier's first process only. */
  readonly faultRules?: readonly FaultRule[];
  readonly faultSeed?: number;
}

export interface ReplicaProcessConfig {
  /** The slot, 0 for the first; a restart keeps it. */
  readonly index: number;
  /** Unique per launch: what this process's heartbeats and holds are known by. */
  readonly id: string;
  /** The previous process in this slot, which the supervisor saw exit: its work is taken at once. */
  readonly replaces?: string;
  /** A replica silent for this long is presumed dead; default 10 s. */
  readonly leaseMs?: number;
}

/** Supervisor → carrier process. */
export interface StartMessage {
  readonly type: 'start';
  readonly config: CarrierProcessConfig;
}

/** Carrier process → supervisor. */
export type CarrierProcessMessage =
  | { readonly type: 'listening'; readonly port: number }
  | {
      readonly type: 'failed';
      readonly reason: 'port_in_use' | 'start_failed';
      readonly message: string;
    };

export function isStartMessage(message: unknown): message is StartMessage {
  return (message as { type?: unknown } | null)?.type === 'start';
}

export function isCarrierProcessMessage(message: unknown): message is CarrierProcessMessage {
  const type = (message as { type?: unknown } | null)?.type;
  return type === 'listening' || type === 'failed';
}
