import type { IntentStatus } from './model/simulation-model.ts';
import type { SimulationViolation } from './model/simulation-violation.ts';

/** How one run ended: safe, or the violations it found, with what happened on the way. */
export interface RunVerdict {
  readonly ok: boolean;
  readonly seed: number;
  readonly violations: readonly SimulationViolation[];
  /** One line per command that ran, in order. */
  readonly timeline: readonly string[];
  readonly stats: RunStats;
}

export interface RunStats {
  readonly commands: number;
  readonly intents: Readonly<Record<IntentStatus, number>>;
  /** Requests the client sent (the simulated network's count; 0 on a real socket). */
  readonly requests: number;
  /** Times the carrier crashed and restarted. */
  readonly crashes: number;
  /** How much time the run spent, on the world's clock. */
  readonly elapsedMs: number;
}
