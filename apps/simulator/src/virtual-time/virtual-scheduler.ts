import type { ScheduledTask, Scheduler } from '@esimlab/carrier';
import type { VirtualClock, VirtualTimer } from './virtual-clock.ts';

/** A carrier scheduler on a virtual clock; `cancelAll` is also what a crash does to its timers. */
export interface VirtualScheduler extends Scheduler {
  /** Tasks scheduled and not yet started. */
  readonly pending: number;
  /**
   * What dying does to a process's timers: nothing scheduled starts and no `delay` ever ends,
   * so work of a crashed carrier that waits on time never resumes.
   */
  kill(): void;
}

/**
 * The carrier's `Scheduler` (async completions, webhook wakeups, a slow gateway's delay) on
 * virtual time, with the real scheduler's `idle` semantics: no task running and none due.
 * A failed task goes to `onError`.
 */
export function virtualScheduler(
  clock: VirtualClock,
  onError: (error: unknown) => void,
): VirtualScheduler {
  const pending = new Map<VirtualTimer, number>();
  const delays = new Set<VirtualTimer>();
  const running = new Set<Promise<void>>();
  let waiters: (() => void)[] = [];
  const isIdle = (): boolean => {
    if (running.size > 0) return false;
    const now = clock.now();
    for (const dueAt of pending.values()) if (dueAt <= now) return false;
    return true;
  };
  const settle = (): void => {
    if (waiters.length === 0 || !isIdle()) return;
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) resolve();
  };
  return {
    get pending() {
      return pending.size;
    },
    schedule(delayMs, task): ScheduledTask {
      const timer = clock.setTimer(delayMs, () => {
        pending.delete(timer);
        const run = (async () => task())().catch(onError);
        running.add(run);
        void run.finally(() => {
          running.delete(run);
          settle();
        });
      });
      pending.set(timer, clock.now() + Math.max(0, delayMs));
      return {
        cancel() {
          timer.cancel();
          pending.delete(timer);
          settle();
        },
      };
    },
    delay(delayMs) {
      return new Promise((resolve) => {
        const timer = clock.setTimer(delayMs, () => {
          delays.delete(timer);
          resolve();
        });
        delays.add(timer);
      });
    },
    idle() {
      if (isIdle()) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    cancelAll() {
      for (const timer of pending.keys()) timer.cancel();
      pending.clear();
      settle();
    },
    kill() {
      for (const timer of [...pending.keys(), ...delays]) timer.cancel();
      pending.clear();
      delays.clear();
    },
  };
}
