/** A FIFO lock for async work: `runExclusive` calls run one at a time, in call order. */
export class AsyncMutex {
  #tail: Promise<void> = Promise.resolve();

  runExclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(work);
    // The next caller waits for this one to settle, whether it succeeded or not.
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
