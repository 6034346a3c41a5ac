import { AsyncLocalStorage } from 'node:async_hooks';
import { NestedTransactionError, StoreClosedError } from '../errors.ts';
import { AsyncMutex } from './async-mutex.ts';

interface TransactionFrame {
  active: boolean;
}

/**
 * Admits one transaction at a time per store, refuses nested ones (they would wait on
 * themselves forever) and refuses new ones once the store is closing.
 */
export class TransactionGate {
  readonly #mutex = new AsyncMutex();
  // Tells a nested call (same async context, frame still active) from a concurrent one.
  readonly #scope = new AsyncLocalStorage<TransactionFrame>();
  #closed: Promise<void> | undefined;

  run<T>(body: () => Promise<T>): Promise<T> {
    if (this.#scope.getStore()?.active) return Promise.reject(new NestedTransactionError());
    if (this.#closed) return Promise.reject(new StoreClosedError());
    return this.#mutex.runExclusive(async () => {
      const frame: TransactionFrame = { active: true };
      try {
        return await this.#scope.run(frame, body);
      } finally {
        frame.active = false;
      }
    });
  }

  /** Lets queued transactions finish, then runs `release` once; later calls share its result. */
  close(release: () => void | Promise<void>): Promise<void> {
    if (this.#scope.getStore()?.active) return Promise.reject(new NestedTransactionError());
    this.#closed ??= this.#mutex.runExclusive(async () => release());
    return this.#closed;
  }
}
