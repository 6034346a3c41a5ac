import type { Store } from '@esimlab/store';

/**
 * In-process state kept beside a store, one per store: what this process is doing with it
 * right now (attempts on the wire, sagas running), which the store itself must not hold.
 * Returns the getter; `make` builds a store's state on first use.
 */
export function perStore<T>(make: () => T): (store: Store) => T {
  const states = new WeakMap<Store, T>();
  return (store) => {
    let state = states.get(store);
    if (state === undefined) {
      state = make();
      states.set(store, state);
    }
    return state;
  };
}
