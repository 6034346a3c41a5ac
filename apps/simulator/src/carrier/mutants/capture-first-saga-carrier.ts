import type { CarrierBuild } from '../../run-options.ts';
import { carrierCollection } from './internal/carrier-collection.ts';
import { onEveryStart } from './internal/on-every-start.ts';

interface InterruptedCharge {
  readonly id: string;
  readonly status: string;
  readonly purpose: { readonly kind: string };
  readonly updatedAt: number;
}

const charges = carrierCollection<InterruptedCharge>('charges');

/**
 * MUTANT. A payment saga that captures before it credits and has no start-up recovery. The
 * real saga credits, then captures, and recovery carries every charge a crash left
 * `authorized` to its end. This build restarts on the store the reordered saga would have
 * left: each interrupted top-up charge already captured (it captures first), its data never
 * credited, and nothing to resume, since recovery only looks at `authorized` charges. A crash
 * right after the authorization then loses the top-up; the checker must report `lost_topup`.
 */
export const captureFirstSagaCarrier: CarrierBuild = {
  name: 'capture-first-saga',
  create: onEveryStart(async (tx) => {
    for (const charge of await tx.find(charges, { status: 'authorized' })) {
      if (charge.purpose.kind !== 'topup') continue;
      await tx.update(charges, { ...charge, status: 'captured' });
    }
  }),
};
