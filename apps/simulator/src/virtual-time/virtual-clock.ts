import { SimulationError } from '../simulation-error.ts';
import { type QueuedTimer, TimerQueue } from './internal/timer-queue.ts';

/** A timer set on a virtual clock. */
export interface VirtualTimer {
  cancel(): void;
}

export interface DriveOptions {
  /** Give up (a runaway run) after firing this many timers; default 1 000 000. */
  readonly maxTimers?: number;
}

const DEFAULT_MAX_TIMERS = 1_000_000;

/**
 * Simulated wall time in Unix ms, as in FoundationDB's simulator: nothing waits for real time.
 * Timers (client backoffs, attempt deadlines, the carrier's scheduled work, a slow gateway)
 * sit in one queue; `drive` runs the work in hand until it can only go on when time passes,
 * then jumps to the earliest timer and fires it. Ties fire in the order they were set, so a
 * run is a function of its inputs alone.
 */
export class VirtualClock {
  #now: number;
  #seq = 0;
  readonly #timers = new TimerQueue();
  #driving = false;
  #fired = 0;

  constructor(startMs: number) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  /** Timers fired since the clock was made: a measure of how much a run waited. */
  get firedTimers(): number {
    return this.#fired;
  }

  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Calls `fire` once `delayMs` of virtual time has passed (a negative delay means now). */
  setTimer(delayMs: number, fire: () => void): VirtualTimer {
    const timer: QueuedTimer = {
      at: this.#now + Math.max(0, Number.isFinite(delayMs) ? delayMs : 0),
      seq: this.#seq++,
      fire,
      cancelled: false,
    };
    this.#timers.push(timer);
    return { cancel: () => this.#timers.cancel(timer) };
  }

  /** Resolves once `ms` of virtual time has passed. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.setTimer(ms, resolve);
    });
  }

  /** Drops every pending timer (the end of a run: nothing may fire into the next one). */
  cancelAll(): void {
    this.#timers.clear();
  }

  /**
   * Runs `work` to its end on virtual time: whenever nothing can happen without time passing,
   * the clock jumps to the earliest timer and fires it. Rejects with `simulation_stalled` when
   * the work waits and no timer is left to wake it.
   */
  async drive<T>(work: () => Promise<T>, options: DriveOptions = {}): Promise<T> {
    if (this.#driving) {
      throw new SimulationError(
        'simulation_reentered',
        'the virtual clock is already driving a run; drive one run at a time per clock',
      );
    }
    this.#driving = true;
    const maxTimers = options.maxTimers ?? DEFAULT_MAX_TIMERS;
    let settled = false;
    const result = work().finally(() => {
      settled = true;
    });
    // Observed here so that a rejection is never unhandled while the loop below runs.
    result.catch(() => undefined);
    try {
      let fired = 0;
      for (;;) {
        await quiesce();
        if (settled) return await result;
        const next = this.#timers.pop();
        if (next === undefined) {
          throw new SimulationError(
            'simulation_stalled',
            'the run is waiting for something no timer will bring (a promise nobody resolves); nothing is left to fire',
          );
        }
        if (++fired > maxTimers) {
          throw new SimulationError(
            'simulation_step_limit',
            `the run fired ${maxTimers} timers without ending; it is probably retrying forever`,
          );
        }
        if (next.at > this.#now) this.#now = next.at;
        this.#fired++;
        next.fire();
      }
    } finally {
      this.#driving = false;
    }
  }
}

const hop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Lets every piece of in-process work that can run now run: promise chains, `nextTick`s and
 * the `setImmediate`s in-memory streams use. Nothing else may be pending in a simulation (no
 * sockets, no real timers), so once no immediate is queued behind ours, all is quiet.
 */
async function quiesce(): Promise<void> {
  for (let hops = 1; ; hops++) {
    await hop();
    if (!process.getActiveResourcesInfo().includes('Immediate')) return;
    if (hops >= MAX_QUIESCE_HOPS) {
      throw new SimulationError(
        'simulation_stalled',
        `something queued setImmediate callbacks ${MAX_QUIESCE_HOPS} times in a row without letting virtual time pass`,
      );
    }
  }
}

const MAX_QUIESCE_HOPS = 100_000;
