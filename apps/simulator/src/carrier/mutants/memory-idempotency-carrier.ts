import type { CarrierBuild } from '../../run-options.ts';
import { carrierCollection } from './internal/carrier-collection.ts';
import { onEveryStart } from './internal/on-every-start.ts';

const idempotencyKeys = carrierCollection<{ readonly id: string }>('idempotencyKeys');

/**
 * MUTANT. Keeps its `Idempotency-Key` records in memory only, so a restart forgets them: a
 * client retrying with the key of a purchase that went through before the crash buys again.
 * The checker must report `duplicate_charge`.
 */
export const memoryIdempotencyCarrier: CarrierBuild = {
  name: 'memory-idempotency',
  create: onEveryStart(async (tx) => {
    await tx.deleteWhere(idempotencyKeys, {});
  }),
};
