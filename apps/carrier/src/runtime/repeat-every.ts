/** Work repeated on a timer; `stop` ends the timer and waits for a run in progress. */
export interface Repeating {
  stop(): Promise<void>;
}

/**
 * Runs `run` every `everyMs`, one run at a time: a tick is skipped while the previous run is
 * still going. A run that fails goes to `onError` and the next tick runs again. The timer
 * does not keep the process alive.
 */
export function repeatEvery(
  everyMs: number,
  run: () => Promise<void>,
  onError: (error: unknown) => void,
): Repeating {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = run()
      .catch(onError)
      .finally(() => {
        running = undefined;
      });
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
