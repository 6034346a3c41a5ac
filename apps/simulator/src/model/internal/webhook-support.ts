import {
  type CarrierClient,
  CarrierProblemError,
  type WebhookDelivery,
  type WebhookDeliveryPage,
} from '@esimlab/client';
import type { CarrierWorld } from '../carrier-world.ts';
import type { SimulationModel } from '../simulation-model.ts';
import { violated } from '../simulation-violation.ts';
import { steadily } from './world-calls.ts';

/** Deliveries read per page of an endpoint's log (the most the carrier lists at once). */
export const DELIVERY_PAGE = 100;

/** How long to let resent deliveries reach the receiver before looking again. */
export const DELIVERY_PAUSE_MS = 50;

/** The run's endpoint deliveries, oldest first: every page of the endpoint's log. */
export async function deliveriesOf(
  model: Pick<SimulationModel, 'webhookEndpointId'>,
  world: Pick<CarrierWorld, 'whenUp'> & {
    readonly client: Pick<CarrierClient, 'webhookDeliveryPage'>;
  },
): Promise<WebhookDelivery[]> {
  const newestFirst: WebhookDelivery[] = [];
  let cursor: string | null = null;
  do {
    const after: string | null = cursor;
    const page: WebhookDeliveryPage = await steadily(world, () =>
      world.client.webhookDeliveryPage(model.webhookEndpointId, {
        limit: DELIVERY_PAGE,
        ...(after === null ? {} : { cursor: after }),
      }),
    );
    newestFirst.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return newestFirst.reverse();
}

/** Asks the carrier to send deliveries again now, in this order; one on the wire is skipped. */
export async function resend(
  world: CarrierWorld,
  deliveries: readonly WebhookDelivery[],
): Promise<void> {
  for (const delivery of deliveries) {
    await steadily(world, async () => {
      try {
        await world.client.resendWebhookDelivery(delivery.id);
      } catch (error) {
        // 409: an attempt is on the wire right now; it will be answered anyway.
        if (!(error instanceof CarrierProblemError && error.status === 409)) throw error;
      }
    });
  }
  await world.pause(DELIVERY_PAUSE_MS);
}

/** The receiver's side of at-least-once delivery: no event id applied twice. */
export function assertAppliedOnce(world: CarrierWorld): void {
  const seen = new Set<string>();
  for (const event of world.receiver.applied()) {
    if (seen.has(event.id)) {
      violated(
        'event_applied_twice',
        `the receiver applied event ${event.id} (${event.type}) more than once; a receiver must dedupe on the event id`,
      );
    }
    seen.add(event.id);
  }
}
