/**
 * The route handlers running now, whichever way their requests came in. A stopping carrier
 * waits for them before closing its store: a handler keeps going after its client hangs up,
 * and a payment it has begun should end here rather than in the next start's recovery.
 */
export class RequestsInFlight {
  #running = 0;
  #waiters: (() => void)[] = [];

  get running(): number {
    return this.#running;
  }

  /** Runs `handle`, counted until it settles. */
  async track<T>(handle: () => Promise<T>): Promise<T> {
    this.#running += 1;
    try {
      return await handle();
    } finally {
      this.#running -= 1;
      if (this.#running === 0) {
        const waiters = this.#waiters;
        this.#waiters = [];
        for (const wake of waiters) wake();
      }
    }
  }

  /** Resolves once no handler runs. */
  idle(): Promise<void> {
    if (this.#running === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
