import type { CarrierBuild } from '../../run-options.ts';
import { carrierCollection } from './internal/carrier-collection.ts';
import { onEveryStart } from './internal/on-every-start.ts';

const webhookDeliveries = carrierCollection<{ readonly id: string; readonly status: string }>(
  'webhookDeliveries',
);

/**
 * MUTANT. Keeps its webhook outbox in memory only: a restart loses every delivery not yet
 * made (one waiting for a retry after a failed attempt, say), so the receiver never hears
 * of it. The checker must report `event_not_delivered`.
 */
export const memoryOutboxCarrier: CarrierBuild = {
  name: 'memory-outbox',
  create: onEveryStart(async (tx) => {
    for (const delivery of await tx.find(webhookDeliveries, {})) {
      if (delivery.status !== 'delivered') await tx.delete(webhookDeliveries, delivery.id);
    }
  }),
};
