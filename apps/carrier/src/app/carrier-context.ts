import type { CarrierProfile, RandomSource } from '@esimlab/domain';
import type { FaultPlan } from '@esimlab/faults';
import type { Store } from '@esimlab/store';
import type { Logger } from 'pino';
import type { CarrierMetrics } from '../http/metrics.ts';
import type { Replica } from '../replication/replica.ts';
import type { SharedState } from '../replication/shared-state.ts';
import type { TestClock } from '../runtime/clock.ts';
import type { CrashHook } from '../runtime/crash.ts';
import type { CrashPointSwitch } from '../runtime/crash-points.ts';
import type { IdGenerator } from '../runtime/ids.ts';
import type { RequestsInFlight } from '../runtime/requests-in-flight.ts';
import type { Scheduler } from '../runtime/scheduler.ts';

/**
 * Everything a carrier's handlers depend on, injected: nothing below reads the global
 * clock, `Math.random`, timers or `process` directly, so the same app runs over real
 * sockets, in-process in tests, and under simulation.
 */
export interface CarrierContext {
  readonly profile: CarrierProfile;
  readonly store: Store;
  readonly clock: TestClock;
  readonly random: RandomSource;
  readonly ids: IdGenerator;
  /** Unpredictable secrets (API keys, QR tokens): crypto-random in production, seeded in simulation. */
  readonly secrets: { token(bytes: number): string };
  readonly scheduler: Scheduler;
  readonly crash: CrashHook;
  /** Saga crash points armed in this process (`/_sim/crash-points`). */
  readonly crashPoints: CrashPointSwitch;
  /** The fault rules applied to requests (and read by webhooks and devices), seeded. */
  readonly faults: FaultPlan;
  readonly logger: Logger;
  readonly metrics: CarrierMetrics;
  /** When set, the control plane requires `X-Sim-Admin-Token` with this value. */
  readonly adminToken: string | undefined;
  /** This process among the replicas sharing the store (alone on SQLite and memory). */
  readonly replica: Replica;
  /** Keeps `clock` and `faults` in step with the stored settings other replicas change. */
  readonly sharedState: SharedState;
  /** The route handlers running now (a stop waits for them). */
  readonly requests: RequestsInFlight;
}
