/**
 * Timers and background work go through this, never through the global `setTimeout`, so
 * a simulation can drive them from a virtual clock and a test can wait for them to drain.
 */
export interface Scheduler {
  /** Runs `task` after `delayMs` of wall time; returns a handle for `cancel`. */
  schedule(delayMs: number, task: () => Promise<void> | void): ScheduledTask;
  /** Resolves after `delayMs` of wall time (a slow gateway, a processing delay). */
  delay(delayMs: number): Promise<void>;
  /**
   * Resolves when no task is running and none is due: work scheduled for later (a retry in
   * a minute) does not hold it up, work scheduled for now (a delivery kick) does.
   */
  idle(): Promise<void>;
  /** Cancels everything still pending (on shutdown and reset). */
  cancelAll(): void;
}

export interface ScheduledTask {
  cancel(): void;
}

type OnTaskError = (error: unknown) => void;

/** The real scheduler, on Node's timers. Failures of background tasks go to `onError`. */
export function timerScheduler(onError: OnTaskError, wallNow: () => number = Date.now): Scheduler {
  const pending = new Map<NodeJS.Timeout, number>();
  const running = new Set<Promise<void>>();
  let waiters: (() => void)[] = [];
  const isIdle = () => {
    if (running.size > 0) return false;
    const now = wallNow();
    for (const dueAt of pending.values()) if (dueAt <= now) return false;
    return true;
  };
  const settle = () => {
    if (waiters.length === 0 || !isIdle()) return;
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) resolve();
  };
  return {
    schedule(delayMs, task) {
      const timer = setTimeout(() => {
        pending.delete(timer);
        const run = (async () => task())().catch(onError);
        running.add(run);
        void run.finally(() => {
          running.delete(run);
          settle();
        });
      }, delayMs);
      timer.unref();
      pending.set(timer, wallNow() + delayMs);
      return {
        cancel() {
          clearTimeout(timer);
          pending.delete(timer);
          settle();
        },
      };
    },
    delay(delayMs) {
      return new Promise((resolve) => setTimeout(resolve, delayMs));
    },
    idle() {
      if (isIdle()) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    cancelAll() {
      for (const timer of pending.keys()) clearTimeout(timer);
      pending.clear();
      settle();
    },
  };
}
