import type { Store, StoreTx } from '@esimlab/store';

// The effects each transaction attempt registered; only the attempt that commits runs them.
const pendingEffects = new WeakMap<StoreTx, (() => void)[]>();

/**
 * Runs `effect` once the caller's transaction has committed, and never if it rolls back. On
 * PostgreSQL a transaction's work may run several times (a conflict rolls it back and runs it
 * again), so in-memory effects such as metrics go through here rather than into the work.
 * A transaction of a store not wrapped by `withAfterCommit` runs the effect at once.
 */
export function afterCommit(tx: StoreTx, effect: () => void): void {
  const effects = pendingEffects.get(tx);
  if (effects) effects.push(effect);
  else effect();
}

/** The same store, with `afterCommit` effects run after each transaction commits. */
export function withAfterCommit(store: Store): Store {
  return {
    kind: store.kind,
    async transaction(work) {
      let committed: StoreTx | undefined;
      const value = await store.transaction((tx) => {
        // A fresh list per attempt: a rolled-back attempt's effects are dropped with it.
        committed = tx;
        pendingEffects.set(tx, []);
        return work(tx);
      });
      const effects = committed === undefined ? undefined : pendingEffects.get(committed);
      if (committed !== undefined) pendingEffects.delete(committed);
      for (const effect of effects ?? []) effect();
      return value;
    },
    close: () => store.close(),
  };
}
