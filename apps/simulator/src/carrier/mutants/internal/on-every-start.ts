import { createCarrierApp } from '@esimlab/carrier';
import type { StoreTx } from '@esimlab/store';
import type { CarrierAppFactory } from '../../simulated-carrier.ts';

/**
 * A carrier build that rewrites the store before each process starts: what the process
 * would have found had some of its state lived only in memory, or had its code run in
 * another order. On the first start the store is empty and the rewrite finds nothing.
 */
export function onEveryStart(rewrite: (tx: StoreTx) => Promise<void>): CarrierAppFactory {
  return async (options) => {
    await options.store.transaction(rewrite);
    return createCarrierApp(options);
  };
}
