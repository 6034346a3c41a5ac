import { AsyncLocalStorage } from 'node:async_hooks';
import { NestedTransactionError, StoreClosedError } from '../errors.ts';
import { AsyncMutex } from './async-mutex.ts';

interface TransactionFrame {
  active: boolean;
}

/**
 * Admits one transaction at a time per store, refuses new ones once the store is closing and,
 * with `detectNesting`, refuses nested ones (they would wait on themselves forever).
 */
export class TransactionGate {
  readonly #mutex = new AsyncMutex();
  // Tells a nested call (same async context, frame still active) from a concurrent one. Made
  // only with `detectNesting`: on Node 20 its first `run` hooks every promise in the process.
  readonly #scope: AsyncLocalStorage<TransactionFrame> | undefined;
  #closed: Promise<void> | undefined;

  constructor(options: { readonly detectNesting: boolean }) {
    this.#scope = options.detectNesting ? new AsyncLocalStorage() : undefined;
  }

  run<T>(body: () => Promise<T>): Promise<T> {
    if (this.#nested()) return Promise.reject(new NestedTransactionError());
    if (this.#closed) return Promise.reject(new StoreClosedError());
    const scope = this.#scope;
    if (scope === undefined) return this.#mutex.runExclusive(body);
    return this.#mutex.runExclusive(async () => {
      const frame: TransactionFrame = { active: true };
      try {
        return await scope.run(frame, body);
      } finally {
        frame.active = false;
      }
    });
  }

  /** Lets queued transactions finish, then runs `release` once; later calls share its result. */
  close(release: () => void | Promise<void>): Promise<void> {
    if (this.#nested()) return Promise.reject(new NestedTransactionError());
    this.#closed ??= this.#mutex.runExclusive(async () => release());
    return this.#closed;
  }

  #nested(): boolean {
    return this.#scope?.getStore()?.active === true;
  }
}
