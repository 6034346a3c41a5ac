import {
  type CarrierApp,
  type CarrierAppOptions,
  type CarrierContext,
  createCarrierApp,
} from '@esimlab/carrier';
import { type CarrierId, seededRandom } from '@esimlab/domain';
import type { Store } from '@esimlab/store';
import { SimulationError } from '../simulation-error.ts';
import type { VirtualClock } from '../virtual-time/virtual-clock.ts';
import { type VirtualScheduler, virtualScheduler } from '../virtual-time/virtual-scheduler.ts';
import { fencedStore } from './internal/fenced-store.ts';
import { recordingLogger } from './internal/recording-logger.ts';
import { type LentStore, lendStore } from './internal/store-pool.ts';

/** Builds a carrier app: `createCarrierApp`, or a deliberately broken carrier (a mutant). */
export type CarrierAppFactory = (options: CarrierAppOptions) => Promise<CarrierApp>;

export interface SimulatedCarrierOptions {
  readonly carrier: CarrierId;
  readonly clock: VirtualClock;
  /** Seeds ids, secrets and generated data; each restart derives its own from it. */
  readonly seed: number;
  /** Seed of the fault rules' rolls, the same across restarts (as `--fault-seed`). */
  readonly faultSeed: number;
  /** Default `createCarrierApp`. */
  readonly createApp?: CarrierAppFactory;
  /**
   * Virtual ms from a crash until the restarted carrier accepts connections: the launcher's
   * first restart backoff plus a process start. Default 500.
   */
  readonly restartDelayMs?: number;
}

/** One process of the carrier: from its start to its crash. */
export interface CarrierIncarnation {
  /** 1 for the first process, 2 after the first restart, … */
  readonly number: number;
  readonly app: CarrierApp;
  readonly context: CarrierContext;
  readonly scheduler: VirtualScheduler;
  /** Ends the process: its store access, timers and delays stop for good. */
  readonly die: () => void;
}

const DEFAULT_RESTART_DELAY_MS = 500;

/**
 * A carrier running in this process on virtual time, over a memory store that plays the part
 * of its disk. It crashes like a process (a crash point, or `kill`): in-flight work is lost,
 * its timers never fire, its open transactions roll back; after `restartDelayMs` a new
 * process starts on the same store and runs start-up recovery, as under the launcher.
 */
export class SimulatedCarrier {
  readonly carrier: CarrierId;
  readonly store: Store;
  /** Background failures and failed restarts: bugs of the carrier, reported in the verdict. */
  readonly failures: string[] = [];
  /** Why each crash happened, in order. */
  readonly crashes: string[] = [];
  readonly #options: SimulatedCarrierOptions;
  readonly #createApp: CarrierAppFactory;
  #current: CarrierIncarnation | undefined;
  #count = 0;
  #starting: Promise<void> | undefined;
  #closed = false;
  readonly #crashListeners = new Set<(incarnation: number) => void>();
  readonly #lent: LentStore;

  private constructor(options: SimulatedCarrierOptions, lent: LentStore) {
    this.carrier = options.carrier;
    this.#lent = lent;
    this.store = lent.store;
    this.#options = options;
    this.#createApp = options.createApp ?? createCarrierApp;
  }

  /** A carrier on a fresh memory store, up and past its start-up recovery. */
  static async start(options: SimulatedCarrierOptions): Promise<SimulatedCarrier> {
    const carrier = new SimulatedCarrier(options, await lendStore());
    await carrier.#boot();
    if (!carrier.#current) {
      throw new SimulationError(
        'carrier_unavailable',
        `the ${options.carrier} carrier did not start: ${carrier.failures.join('; ')}`,
      );
    }
    return carrier;
  }

  /** The process serving requests, or undefined while the carrier is down or starting. */
  get current(): CarrierIncarnation | undefined {
    return this.#current;
  }

  /** Processes started so far, the first included. */
  get incarnations(): number {
    return this.#count;
  }

  /** Called synchronously when a process dies, with its number. Returns an unsubscribe. */
  onCrash(listener: (incarnation: number) => void): () => void {
    this.#crashListeners.add(listener);
    return () => this.#crashListeners.delete(listener);
  }

  /** Kills the running process now (SIGKILL) and resolves once its successor serves. */
  async kill(reason = 'killed'): Promise<void> {
    const current = this.#current;
    if (current) this.#crash(current.number, reason);
    await this.whenUp();
  }

  /** Resolves once a process serves requests (at once if one does). */
  async whenUp(): Promise<void> {
    while (!this.#current) {
      if (!this.#starting) {
        throw new SimulationError(
          'carrier_unavailable',
          `the ${this.carrier} carrier is down and not restarting: ${this.failures.at(-1) ?? 'no reason recorded'}`,
        );
      }
      await this.#starting;
    }
  }

  /**
   * Stops the carrier for good: the running process dies without a restart (so none of its
   * work still in memory reaches the store again), and the store goes back to the pool.
   */
  async close(): Promise<void> {
    this.#closed = true;
    const current = this.#current;
    this.#current = undefined;
    this.#starting = undefined;
    if (current) {
      current.die();
      await current.app.close();
    }
    this.#lent.release();
  }

  #crash(incarnation: number, reason: string): void {
    const current = this.#current;
    if (!current || current.number !== incarnation) return;
    this.#current = undefined;
    this.crashes.push(`process ${incarnation}: ${reason}`);
    current.die();
    for (const listener of [...this.#crashListeners]) listener(incarnation);
    const delayMs = this.#options.restartDelayMs ?? DEFAULT_RESTART_DELAY_MS;
    this.#starting = new Promise<void>((resolve) => {
      this.#options.clock.setTimer(delayMs, () => {
        void this.#boot().finally(resolve);
      });
    });
  }

  async #boot(): Promise<void> {
    const number = ++this.#count;
    const { clock, seed } = this.#options;
    let alive = true;
    const scheduler = virtualScheduler(clock, (error) => {
      // A dead process's chains fail at the fence; only a live one's failures are findings.
      if (alive && this.#current?.number === number) {
        this.failures.push(`background task of process ${number} failed: ${describe(error)}`);
      }
    });
    const secrets = seededRandom(mix(seed, number, 2));
    try {
      const app = await this.#createApp({
        carrier: this.carrier,
        // A process still starting when the carrier is closed must not touch the store again.
        store: fencedStore(this.store, () => alive && !this.#closed),
        wallClock: () => clock.now(),
        seed: mix(seed, number, 1),
        secrets: {
          token: (bytes) =>
            Buffer.from(
              Array.from({ length: bytes }, () => Math.floor(secrets.next() * 256)),
            ).toString('base64url'),
        },
        scheduler,
        crash: (reason) => {
          this.#crash(number, reason);
          throw new SimulationError('carrier_crashed', `the carrier crashed: ${reason}`);
        },
        logger: recordingLogger((message) => {
          if (alive) this.failures.push(`process ${number} logged an error: ${message}`);
        }),
        faultSeed: this.#options.faultSeed,
        // Network faults are the simulated transport's job, decided by this app's fault plan.
        faultInjection: false,
      });
      if (this.#closed) {
        alive = false;
        scheduler.kill();
        return;
      }
      this.#current = {
        number,
        app,
        context: app.context,
        scheduler,
        die: () => {
          alive = false;
          scheduler.kill();
        },
      };
      this.#starting = undefined;
    } catch (error) {
      alive = false;
      scheduler.kill();
      this.failures.push(`process ${number} failed to start: ${describe(error)}`);
      this.#starting = undefined;
    }
  }
}

/** A seed for one purpose of one process, from the run's seed. */
const mix = (seed: number, incarnation: number, purpose: number): number =>
  (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(incarnation, 0xc2b2ae35) + purpose) >>> 0;

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
