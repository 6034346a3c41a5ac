import { carrierCollections, carrierMigrations } from '@esimlab/carrier';
import { type Collection, openStore, type Store } from '@esimlab/store';

// Every collection of the carrier, as its latest migration leaves it.
const everyCollection: readonly Collection<object>[] = [...carrierCollections.values()];

const idle: Store[] = [];

/** A memory store lent to one run; `release` hands it back for the next. */
export interface LentStore {
  readonly store: Store;
  release(): void;
}

/**
 * An empty carrier store for a run. Stores are reused, not opened per run: each memory store
 * holds an AsyncLocalStorage, which Node never frees and visits on every promise made after,
 * so thousands of stores would make each run slower than the one before. Emptying one is as
 * good as a new one: the same migrations, no documents.
 */
export async function lendStore(): Promise<LentStore> {
  const store = idle.pop() ?? (await openStore({ kind: 'memory', migrations: carrierMigrations }));
  await store.transaction(async (tx) => {
    for (const collection of everyCollection) await tx.deleteWhere(collection, {});
  });
  let released = false;
  return {
    store,
    release() {
      if (released) return;
      released = true;
      idle.push(store);
    },
  };
}
