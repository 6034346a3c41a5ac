/**
 * Timers and background work go through this, never through the global `setTimeout`, so
 * a simulation can drive them from a virtual clock and a test can wait for them to drain.
 */
export interface Scheduler {
  /** Runs `task` after `delayMs` of wall time; returns a handle for `cancel`. */
  schedule(delayMs: number, task: () => Promise<void> | void): ScheduledTask;
  /** Resolves after `delayMs` of wall time (a slow gateway, a processing delay). */
  delay(delayMs: number): Promise<void>;
  /** Resolves when no scheduled task is running or pending. */
  idle(): Promise<void>;
  /** Cancels everything still pending (on shutdown). */
  cancelAll(): void;
}

export interface ScheduledTask {
  cancel(): void;
}

type OnTaskError = (error: unknown) => void;

/** The real scheduler, on Node's timers. Failures of background tasks go to `onError`. */
export function timerScheduler(onError: OnTaskError): Scheduler {
  const pending = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let waiters: (() => void)[] = [];
  const settle = () => {
    if (pending.size === 0 && running.size === 0) {
      const ready = waiters;
      waiters = [];
      for (const resolve of ready) resolve();
    }
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
      pending.add(timer);
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
      if (pending.size === 0 && running.size === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    cancelAll() {
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
      settle();
    },
  };
}
