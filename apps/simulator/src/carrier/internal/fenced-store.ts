import type { Collection, FindOptions, ScalarField, Store, StoreTx, Where } from '@esimlab/store';
import { SimulationError } from '../../simulation-error.ts';

const dead = (): SimulationError =>
  new SimulationError(
    'carrier_crashed',
    'this carrier process has crashed; its unfinished work is lost',
  );

/** A transaction of a process that may die while it is open: every call checks first. */
class FencedTx implements StoreTx {
  readonly #tx: StoreTx;
  readonly #alive: () => boolean;

  constructor(tx: StoreTx, alive: () => boolean) {
    this.#tx = tx;
    this.#alive = alive;
  }

  get<T>(collection: Collection<T>, id: string): Promise<T | undefined> {
    return this.#alive() ? this.#tx.get(collection, id) : Promise.reject(dead());
  }

  find<T>(collection: Collection<T>, where: Where<T>, options?: FindOptions<T>): Promise<T[]> {
    return this.#alive() ? this.#tx.find(collection, where, options) : Promise.reject(dead());
  }

  count<T>(collection: Collection<T>, where: Where<T>): Promise<number> {
    return this.#alive() ? this.#tx.count(collection, where) : Promise.reject(dead());
  }

  insert<T>(collection: Collection<T>, doc: T): Promise<void> {
    return this.#alive() ? this.#tx.insert(collection, doc) : Promise.reject(dead());
  }

  update<T>(collection: Collection<T>, doc: T): Promise<void> {
    return this.#alive() ? this.#tx.update(collection, doc) : Promise.reject(dead());
  }

  upsert<T>(collection: Collection<T>, doc: T): Promise<void> {
    return this.#alive() ? this.#tx.upsert(collection, doc) : Promise.reject(dead());
  }

  delete<T>(collection: Collection<T>, id: string): Promise<boolean> {
    return this.#alive() ? this.#tx.delete(collection, id) : Promise.reject(dead());
  }

  deleteWhere<T>(collection: Collection<T>, where: Where<T>): Promise<number> {
    return this.#alive() ? this.#tx.deleteWhere(collection, where) : Promise.reject(dead());
  }

  deleteFound<T>(
    collection: Collection<T>,
    where: Where<T>,
    options: FindOptions<T>,
  ): Promise<number> {
    return this.#alive()
      ? this.#tx.deleteFound(collection, where, options)
      : Promise.reject(dead());
  }

  nextInSequence<T>(collection: Collection<T>, field: ScalarField<T>): Promise<number> {
    return this.#alive() ? this.#tx.nextInSequence(collection, field) : Promise.reject(dead());
  }
}

/**
 * One process's view of a store that outlives it, as a database file outlives a killed
 * carrier: once `alive()` turns false, nothing more of this process reaches the data. Work of
 * the dead process still running in memory (a promise chain mid-saga) fails at its next read
 * or write, and a transaction it had open rolls back instead of committing.
 */
export function fencedStore(store: Store, alive: () => boolean): Store {
  return {
    kind: store.kind,
    transaction<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
      if (!alive()) return Promise.reject(dead());
      return store.transaction(async (tx) => {
        const result = await work(new FencedTx(tx, alive));
        // Died while this transaction was open: it never committed.
        if (!alive()) throw dead();
        return result;
      });
    },
    // The store belongs to the simulated machine, not to one process of the carrier.
    close: () => Promise.resolve(),
  };
}
