import { parseDuration } from '../../scenarios/duration.ts';
import type { ExecutorConfig } from '../../scenarios/executor-config.ts';
import { arrivalSchedule } from './arrival-schedule.ts';

/** How one iteration ended. */
export type IterationEnd = 'completed' | 'failed' | 'interrupted';

export interface ExecutionHooks {
  /** Runs one iteration on VU `vu` (1-based); never rejects. */
  iterate(vu: number, iterationInTest: number): Promise<IterationEnd>;
  /** Cuts every iteration still running (the graceful stop is over). */
  interrupt(): Promise<void>;
  /** An arrival-rate iteration was due but every VU was busy and none could be added. */
  dropped(): void;
  /** Asked to stop early (Ctrl-C): no new iterations, the running ones are interrupted. */
  readonly stopSignal?: AbortSignal;
}

export interface ExecutionCounts {
  readonly started: number;
  readonly completed: number;
  readonly failed: number;
  readonly interrupted: number;
  readonly dropped: number;
  readonly vusActive: number;
  /** VUs allocated so far (k6's vus_max). */
  readonly vusAllocated: number;
  readonly maxVUs: number;
}

/**
 * Runs a scenario's iterations the way its k6 executor would. Arrival-rate executors start
 * each iteration on time whatever the answers' latency; with every VU busy they add one, up
 * to `maxVUs`, and past that count the iteration as dropped. (k6 drops the iteration while it
 * initializes an extra VU, a JavaScript VM; here a VU costs nothing, so it starts at once.)
 * At the end, running iterations get `gracefulStop` to finish, then are interrupted.
 */
export class ScenarioExecution {
  readonly #config: ExecutorConfig;
  readonly #hooks: ExecutionHooks;
  readonly #maxVUs: number;
  readonly #durationMs: number;
  readonly #idle: number[] = [];
  #allocated = 0;
  #started = 0;
  #completed = 0;
  #failed = 0;
  #interrupted = 0;
  #dropped = 0;
  #inFlight = 0;
  #idleWaiters: (() => void)[] = [];
  #startedAt = 0;
  #stopping = false;
  /** When the stop signal fired, in ms since the first iteration was due. */
  #stoppedAtMs: number | undefined;
  /** Ends the wait the stop signal must cut short: the schedule's, then the graceful stop's. */
  #endWait: (() => void) | undefined;

  constructor(config: ExecutorConfig, hooks: ExecutionHooks) {
    this.#config = config;
    this.#hooks = hooks;
    this.#maxVUs =
      config.executor === 'constant-vus'
        ? config.vus
        : Math.max(config.maxVUs, config.preAllocatedVUs);
    this.#allocated = config.executor === 'constant-vus' ? config.vus : config.preAllocatedVUs;
    for (let vu = this.#allocated; vu >= 1; vu--) this.#idle.push(vu);
    this.#durationMs =
      config.executor === 'ramping-arrival-rate'
        ? arrivalSchedule(config).durationMs
        : msOf(config.duration, 'duration');
  }

  /** The planned length, without the graceful stop. */
  get durationMs(): number {
    return this.#durationMs;
  }

  get stopping(): boolean {
    return this.#stopping;
  }

  /** Asked to stop before the scenario's end (its stop signal fired). */
  get stoppedEarly(): boolean {
    return this.#stoppedAtMs !== undefined;
  }

  /**
   * When the stop signal fired, in ms since the first iteration was due: before `durationMs`
   * it cut the schedule short, after it the graceful stop.
   */
  get stoppedAtMs(): number | undefined {
    return this.#stoppedAtMs;
  }

  /** Milliseconds since the first iteration was due. */
  elapsedMs(): number {
    return this.#startedAt === 0 ? 0 : performance.now() - this.#startedAt;
  }

  counts(): ExecutionCounts {
    return {
      started: this.#started,
      completed: this.#completed,
      failed: this.#failed,
      interrupted: this.#interrupted,
      dropped: this.#dropped,
      vusActive: this.#inFlight,
      vusAllocated: this.#allocated,
      maxVUs: this.#maxVUs,
    };
  }

  /** Runs the scenario to its end: scheduling, graceful stop, interruption. */
  async run(): Promise<ExecutionCounts> {
    const onStop = () => {
      this.#stoppedAtMs = this.elapsedMs();
      // Ends the schedule or, once it has ended, the running iterations' graceful stop.
      this.#endWait?.();
    };
    this.#hooks.stopSignal?.addEventListener('abort', onStop, { once: true });
    if (this.#hooks.stopSignal?.aborted) onStop();
    try {
      this.#startedAt = performance.now();
      if (this.#config.executor === 'constant-vus') await this.#closedLoop(this.#config.vus);
      else await this.#openLoop(this.#config);
      this.#stopping = true;
      if (this.#inFlight > 0 && !this.stoppedEarly) {
        const grace = pause(msOf(this.#config.gracefulStop, 'gracefulStop'));
        this.#endWait = grace.cancel;
        await Promise.race([this.#allIdle(), grace.done]);
        this.#endWait = undefined;
        grace.cancel();
      }
      if (this.#inFlight > 0) {
        await this.#hooks.interrupt();
        await this.#allIdle();
      }
      return this.counts();
    } finally {
      this.#hooks.stopSignal?.removeEventListener('abort', onStop);
    }
  }

  #openLoop(config: Exclude<ExecutorConfig, { executor: 'constant-vus' }>): Promise<void> {
    const schedule = arrivalSchedule(config);
    return new Promise((resolve) => {
      let next = 0;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = () => {
        clearTimeout(timer);
        this.#endWait = undefined;
        resolve();
      };
      this.#endWait = finish;
      const tick = () => {
        if (this.stoppedEarly) return finish();
        const elapsed = performance.now() - this.#startedAt;
        while (next < schedule.total && schedule.dueAtMs(next) <= elapsed) {
          this.#startOrDrop();
          next++;
        }
        const wakeAt = next < schedule.total ? schedule.dueAtMs(next) : schedule.durationMs;
        if (next >= schedule.total && elapsed >= schedule.durationMs) return finish();
        timer = setTimeout(tick, Math.max(0, wakeAt - (performance.now() - this.#startedAt)));
      };
      tick();
    });
  }

  async #closedLoop(vus: number): Promise<void> {
    const endAt = this.#startedAt + this.durationMs;
    const running = () => !this.stoppedEarly && performance.now() < endAt;
    const loop = async () => {
      const vu = this.#idle.pop();
      if (vu === undefined) return;
      while (running()) await this.#launch(vu, false);
      this.#idle.push(vu);
    };
    // The scheduling phase ends on time even while iterations are still running.
    const loops = Array.from({ length: vus }, loop);
    const phase = pause(this.durationMs);
    await Promise.race([
      phase.done,
      new Promise<void>((resolve) => {
        this.#endWait = resolve;
      }),
    ]);
    phase.cancel();
    this.#endWait = undefined;
    void Promise.all(loops);
  }

  #startOrDrop(): void {
    let vu = this.#idle.pop();
    if (vu === undefined && this.#allocated < this.#maxVUs) vu = ++this.#allocated;
    if (vu === undefined) {
      this.#dropped += 1;
      this.#hooks.dropped();
      return;
    }
    void this.#launch(vu, true);
  }

  async #launch(vu: number, release: boolean): Promise<void> {
    const iteration = this.#started++;
    this.#inFlight += 1;
    const end = await this.#hooks.iterate(vu, iteration);
    if (end === 'completed') this.#completed += 1;
    else if (end === 'failed') this.#failed += 1;
    else this.#interrupted += 1;
    this.#inFlight -= 1;
    if (release) this.#idle.push(vu);
    if (this.#inFlight === 0) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  #allIdle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }
}

/** A wait that can be called off, so a finished run leaves no timer keeping Node alive. */
function pause(ms: number): { readonly done: Promise<void>; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wake: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    wake = resolve;
    timer = setTimeout(resolve, ms);
  });
  return {
    done,
    cancel() {
      clearTimeout(timer);
      wake();
    },
  };
}

function msOf(text: string, field: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new RangeError(`${field}: ${parsed.message}`);
  return parsed.ms;
}
