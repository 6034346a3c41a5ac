import { toIso } from '@esimlab/domain';
import type { SkippedCheck, WebhookEventViolation } from '../check-report.ts';
import { CheckerError } from '../checker-error.ts';
import { clockAnswer, type DeliveryAnswer, deliveriesAnswer } from './carrier-answers.ts';
import type { CarrierHttp } from './carrier-http.ts';

/** The carrier lists at most this many deliveries of an endpoint, newest first. */
const DELIVERY_PAGE = 100;

/**
 * How long a pending delivery may be past its due time before it counts as stuck: an attempt
 * may be on the wire for up to 5 s, and retries are woken by wall-time timers.
 */
export const OVERDUE_GRACE_MS = 10_000;

/** What one receiver (one webhook endpoint) applied, as its own log says. */
export interface ReceiverApplied {
  readonly name: string;
  readonly endpointId: string;
  readonly applied: readonly { readonly id: string; readonly type: string }[];
}

export interface ReceiverCheck {
  readonly violations: WebhookEventViolation[];
  readonly skipped: SkippedCheck[];
}

/**
 * Joins a receiver's log with the carrier's deliveries to its endpoint. An event is
 * `event_not_delivered` when no delivery of it succeeded, the receiver did not apply it, and
 * the carrier is done trying: every delivery `failed`, or one still `pending` whose next
 * attempt is overdue by more than `OVERDUE_GRACE_MS` of the carrier's clock. A delivery still
 * scheduled is listed as skipped, not flagged. An event id applied more than once is
 * `event_applied_twice`, whatever the deliveries say.
 */
export async function checkReceiver(
  http: CarrierHttp,
  receiver: ReceiverApplied,
  apiKeys: readonly string[],
): Promise<ReceiverCheck> {
  const deliveries = await deliveriesOf(http, receiver, apiKeys);
  const now = await http.control('GET', '/_sim/clock', clockAnswer);
  const violations: WebhookEventViolation[] = [];
  const skipped: SkippedCheck[] = [];

  const appliedCount = new Map<string, number>();
  for (const event of receiver.applied) {
    appliedCount.set(event.id, (appliedCount.get(event.id) ?? 0) + 1);
  }
  const byEvent = new Map<string, DeliveryAnswer[]>();
  // Oldest first, so the report reads in the order events happened.
  for (const delivery of [...deliveries].reverse()) {
    byEvent.set(delivery.eventId, [...(byEvent.get(delivery.eventId) ?? []), delivery]);
  }

  const evidenceOf = (eventId: string, eventType: string) => {
    const ofEvent = byEvent.get(eventId) ?? [];
    return {
      receiver: receiver.name,
      endpointId: receiver.endpointId,
      eventId,
      eventType,
      deliveryIds: ofEvent.map((d) => d.id),
      deliveryStatuses: ofEvent.map((d) => d.status),
      attemptCount: ofEvent.reduce((sum, d) => sum + d.attempts.length, 0),
      appliedCount: appliedCount.get(eventId) ?? 0,
    };
  };

  for (const [eventId, ofEvent] of byEvent) {
    if (ofEvent.some((d) => d.status === 'delivered') || appliedCount.has(eventId)) continue;
    const eventType = ofEvent[0]?.type ?? 'unknown';
    const pending = ofEvent.filter((d) => d.status === 'pending');
    const nextAttempt = Math.min(...pending.map((d) => d.nextAttemptAt ?? now));
    const overdue = pending.length > 0 && nextAttempt < now - OVERDUE_GRACE_MS;
    if (pending.length > 0 && !overdue) {
      skipped.push({
        carrier: http.carrier,
        check: 'webhook_deliveries',
        subject: `${receiver.name}: event ${eventId}`,
        reason: `not delivered yet, still being retried (next attempt ${toIso(nextAttempt)}); advance the clock past the retries to settle it`,
      });
      continue;
    }
    const evidence = evidenceOf(eventId, eventType);
    violations.push({
      kind: 'event_not_delivered',
      carrier: http.carrier,
      intentIds: [],
      message: `event ${eventId} (${eventType}) never reached receiver ${receiver.name}: ${evidence.attemptCount} attempts to endpoint ${receiver.endpointId}, ${
        overdue
          ? `and the retry due ${toIso(nextAttempt)} is overdue`
          : 'and the carrier gave up retrying'
      }`,
      evidence,
    });
  }

  for (const [eventId, count] of appliedCount) {
    if (count < 2) continue;
    const eventType =
      receiver.applied.find((e) => e.id === eventId)?.type ?? byEvent.get(eventId)?.[0]?.type;
    violations.push({
      kind: 'event_applied_twice',
      carrier: http.carrier,
      intentIds: [],
      message: `receiver ${receiver.name} applied event ${eventId} (${eventType}) ${count} times; a receiver must dedupe on the event id`,
      evidence: evidenceOf(eventId, eventType ?? 'unknown'),
    });
  }

  if (deliveries.length >= DELIVERY_PAGE) {
    skipped.push({
      carrier: http.carrier,
      check: 'webhook_deliveries',
      subject: `${receiver.name}: older deliveries`,
      reason: `the carrier lists only the newest ${DELIVERY_PAGE} deliveries of an endpoint; events before those were not checked for delivery`,
    });
  }
  return { violations, skipped };
}

async function deliveriesOf(
  http: CarrierHttp,
  receiver: ReceiverApplied,
  apiKeys: readonly string[],
): Promise<DeliveryAnswer[]> {
  const path = `/v1/webhook-endpoints/${encodeURIComponent(receiver.endpointId)}/deliveries?limit=${DELIVERY_PAGE}`;
  for (const key of apiKeys) {
    const deliveries = await http.apiGet(path, key, deliveriesAnswer);
    if (deliveries !== undefined) return deliveries;
  }
  throw new CheckerError(
    'checker_input_invalid',
    `receiver ${receiver.name}: no API key given sees webhook endpoint ${receiver.endpointId} on ${http.carrier}; pass the owning tenant's key as receivers[].apiKey (or in carriers[].apiKeys)`,
  );
}
