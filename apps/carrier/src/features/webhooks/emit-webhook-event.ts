import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import {
  type WebhookDeliveryRecord,
  type WebhookEventRecord,
  webhookDeliveries,
  webhookEndpoints,
  webhookEvents,
} from '../../persistence/collections.ts';
import { recordEvent } from '../events/journal.ts';
import { armDeliveryWakeup } from './deliver-webhooks.ts';
import { ALL_WEBHOOK_EVENTS, type WebhookEventType } from './webhook-event-types.ts';

export interface NewWebhookEvent {
  readonly tenantId: string;
  readonly type: WebhookEventType;
  /** What happened, always with the `iccid` it is about. */
  readonly data: Readonly<Record<string, unknown>>;
  /**
   * Emits at most once per key (e.g. `topup.succeeded:<topup id>`): a repeat returns the first
   * event and writes nothing, so a retried or re-run step never notifies twice.
   */
  readonly dedupeKey?: string;
}

/**
 * Puts a webhook event in the outbox, inside the caller's transaction: the event and one
 * pending delivery per endpoint of the tenant subscribed to its type commit with the change
 * they report, or not at all. Delivery starts by itself after the commit.
 */
export async function emitWebhookEvent(
  tx: StoreTx,
  context: CarrierContext,
  event: NewWebhookEvent,
): Promise<WebhookEventRecord> {
  if (event.dedupeKey !== undefined) {
    const [earlier] = await tx.find(webhookEvents, { dedupeKey: event.dedupeKey }, { limit: 1 });
    if (earlier) return earlier;
  }
  const now = context.clock.now();
  const record: WebhookEventRecord = {
    id: context.ids.next('evt'),
    tenantId: event.tenantId,
    type: event.type,
    createdAt: now,
    data: event.data,
    ...(event.dedupeKey === undefined ? {} : { dedupeKey: event.dedupeKey }),
  };
  await tx.insert(webhookEvents, record);

  const subscribed = (await tx.find(webhookEndpoints, { tenantId: event.tenantId })).filter(
    (endpoint) =>
      endpoint.events.includes(event.type) || endpoint.events.includes(ALL_WEBHOOK_EVENTS),
  );
  const deliveryIds: string[] = [];
  for (const endpoint of subscribed) {
    const delivery: WebhookDeliveryRecord = {
      id: context.ids.next('wd'),
      eventId: record.id,
      endpointId: endpoint.id,
      tenantId: event.tenantId,
      type: event.type,
      status: 'pending',
      attempts: [],
      nextAttemptAt: now,
      seriesStart: 0,
      createdAt: now,
    };
    await tx.insert(webhookDeliveries, delivery);
    deliveryIds.push(delivery.id);
  }
  const iccid = event.data.iccid;
  await recordEvent(tx, context, {
    type: 'webhook.emitted',
    tenantId: event.tenantId,
    ...(typeof iccid === 'string' ? { iccid } : {}),
    data: { eventId: record.id, eventType: event.type, deliveryIds },
  });
  // The wakeup's transaction waits for this one to commit; if it rolls back, nothing is due.
  if (deliveryIds.length > 0) armDeliveryWakeup(context, now);
  return record;
}
