import { AsyncResource } from 'node:async_hooks';
import { toIso } from '@esimlab/domain';
import type { Store } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { onStartup } from '../../app/startup-tasks.ts';
import {
  type WebhookAttemptRecord,
  type WebhookDeliveryRecord,
  type WebhookEndpointRecord,
  type WebhookEventRecord,
  webhookDeliveries,
  webhookEndpoints,
  webhookEvents,
} from '../../persistence/collections.ts';
import type { DueWindow } from '../clock/due-work.ts';
import { recordEvent } from '../events/journal.ts';
import { sendWithWebhookFaults } from '../faults/webhook-faults.ts';
import { postWebhook, WEBHOOK_USER_AGENT } from './internal/post-webhook.ts';
import { nextRetryAt } from './webhook-retry-schedule.ts';

/** A receiver gets this long (wall time) to answer one attempt. */
export const WEBHOOK_ATTEMPT_TIMEOUT_MS = 5_000;
const CLAIM_BATCH = 50;

/** What a receiver is sent: the event, as JSON. */
export function webhookPayload(event: WebhookEventRecord): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    createdAt: toIso(event.createdAt),
    data: event.data,
  });
}

// Deliveries with an attempt on the wire, per store: never two attempts of one delivery at
// once. Claimed while a transaction holds the store's lock; released only after the attempt's
// outcome is committed, so a claim never sees a delivery that is neither busy nor up to date.
const inFlightByStore = new WeakMap<Store, Set<string>>();

/** Whether an attempt of this delivery is on the wire right now. */
export function isDeliveryInFlight(context: CarrierContext, deliveryId: string): boolean {
  return inFlightByStore.get(context.store)?.has(deliveryId) ?? false;
}

function inFlight(context: CarrierContext): Set<string> {
  let set = inFlightByStore.get(context.store);
  if (!set) {
    set = new Set();
    inFlightByStore.set(context.store, set);
  }
  return set;
}

// Made at module load, outside any transaction. A timer armed inside a transaction inherits
// its async context, and the store would refuse the wakeup's own transaction as nested.
const outsideTransactions = new AsyncResource('esimlab.webhook-wakeup');

/**
 * Arms a wall-time wakeup for simulated time `at` that attempts every delivery due by then.
 * Harmless when nothing is due (already delivered, or the emitting transaction rolled back).
 */
export function armDeliveryWakeup(context: CarrierContext, at: number): void {
  const delayMs = Math.max(0, at - context.clock.now());
  outsideTransactions.runInAsyncScope(() =>
    context.scheduler.schedule(delayMs, () => deliverDueWebhooks(context)),
  );
}

/**
 * Attempts every pending delivery due by simulated now, network I/O outside any transaction,
 * and resolves once those attempts (and any that fall due meanwhile) are recorded.
 * Inside a clock advance's `window`, a retry that falls due within it is attempted at its
 * own due time, so a long advance runs the whole backoff schedule it covers.
 */
export async function deliverDueWebhooks(
  context: CarrierContext,
  window?: DueWindow,
): Promise<void> {
  for (;;) {
    const claims = await claimDueDeliveries(context);
    if (claims.length === 0) return;
    await Promise.all(claims.map((claim) => attemptDelivery(context, claim, window)));
  }
}

interface DeliveryClaim {
  readonly delivery: WebhookDeliveryRecord;
  readonly endpoint: WebhookEndpointRecord;
  readonly event: WebhookEventRecord;
}

async function claimDueDeliveries(context: CarrierContext): Promise<DeliveryClaim[]> {
  const busy = inFlight(context);
  const claims: DeliveryClaim[] = [];
  try {
    await context.store.transaction(async (tx) => {
      const now = context.clock.now();
      const pending = await tx.find(
        webhookDeliveries,
        { status: 'pending' },
        { orderBy: 'nextAttemptAt' },
      );
      for (const delivery of pending) {
        if (claims.length >= CLAIM_BATCH) break;
        if (delivery.nextAttemptAt === null || delivery.nextAttemptAt > now) break;
        if (busy.has(delivery.id)) continue;
        const endpoint = await tx.get(webhookEndpoints, delivery.endpointId);
        const event = await tx.get(webhookEvents, delivery.eventId);
        if (!endpoint || !event) {
          // Deleting an endpoint stops its deliveries in the same transaction; this is a guard.
          await tx.update(webhookDeliveries, {
            ...delivery,
            status: 'failed',
            nextAttemptAt: null,
          });
          continue;
        }
        claims.push({ delivery, endpoint, event });
      }
      for (const claim of claims) busy.add(claim.delivery.id);
    });
  } catch (error) {
    for (const claim of claims) busy.delete(claim.delivery.id);
    throw error;
  }
  return claims;
}

async function attemptDelivery(
  context: CarrierContext,
  { delivery, endpoint, event }: DeliveryClaim,
  window: DueWindow | undefined,
): Promise<void> {
  const dueAt = delivery.nextAttemptAt ?? context.clock.now();
  const at = window !== undefined && dueAt > window.from ? dueAt : context.clock.now();
  let nextAttemptAt: number | null = null;
  try {
    const body = webhookPayload(event);
    // The webhook fault rules may drop, delay, duplicate or reorder this attempt.
    const outcome = await sendWithWebhookFaults(
      context,
      {
        deliveryId: delivery.id,
        endpointId: endpoint.id,
        eventId: event.id,
        url: endpoint.url,
        headers: { 'user-agent': WEBHOOK_USER_AGENT, 'esimlab-event-id': event.id },
        lastInSchedule:
          nextRetryAt(at, delivery.attempts.length - delivery.seriesStart + 1) === null,
      },
      () =>
        postWebhook(context, {
          url: endpoint.url,
          body,
          secret: endpoint.secret,
          eventId: event.id,
          timeoutMs: WEBHOOK_ATTEMPT_TIMEOUT_MS,
        }),
    );
    nextAttemptAt = await recordAttempt(context, delivery.id, { at, ...outcome });
  } finally {
    inFlight(context).delete(delivery.id);
  }
  // Inside an advance, a retry already due is picked up by the caller's next claim.
  if (nextAttemptAt !== null && (window === undefined || nextAttemptAt > context.clock.now())) {
    armDeliveryWakeup(context, nextAttemptAt);
  }
}

/** Appends the attempt and moves the delivery on; returns when to try next, if ever. */
async function recordAttempt(
  context: CarrierContext,
  deliveryId: string,
  attempt: WebhookAttemptRecord,
): Promise<number | null> {
  return context.store.transaction(async (tx) => {
    // Gone after a reset: the attempt belongs to a carrier state that no longer exists.
    const current = await tx.get(webhookDeliveries, deliveryId);
    if (!current) return null;
    const attempts = [...current.attempts, attempt];
    const delivered =
      attempt.statusCode !== undefined && attempt.statusCode >= 200 && attempt.statusCode < 300;
    const stillQueued = current.status === 'pending';
    const nextAttemptAt =
      delivered || !stillQueued
        ? null
        : nextRetryAt(attempt.at, attempts.length - current.seriesStart);
    const status = delivered
      ? 'delivered'
      : !stillQueued
        ? current.status
        : nextAttemptAt === null
          ? 'failed'
          : 'pending';
    await tx.update(webhookDeliveries, { ...current, attempts, status, nextAttemptAt });
    const event = await tx.get(webhookEvents, current.eventId);
    const iccid = event?.data.iccid;
    await recordEvent(tx, context, {
      type: 'webhook.attempted',
      tenantId: current.tenantId,
      ...(typeof iccid === 'string' ? { iccid } : {}),
      data: {
        deliveryId: current.id,
        eventId: current.eventId,
        eventType: current.type,
        endpointId: current.endpointId,
        attempt: attempts.length,
        ...(attempt.statusCode === undefined ? {} : { statusCode: attempt.statusCode }),
        ...(attempt.error === undefined ? {} : { error: attempt.error }),
        status,
        nextAttemptAt: nextAttemptAt === null ? null : toIso(nextAttemptAt),
      },
    });
    return nextAttemptAt;
  });
}

/**
 * Arms a wakeup for every pending delivery, at its due time (now, if overdue): after a crash,
 * deliveries committed or interrupted mid-attempt go out again, at least once.
 */
export async function rearmWebhookDeliveries(context: CarrierContext): Promise<void> {
  const pending = await context.store.transaction((tx) =>
    tx.find(webhookDeliveries, { status: 'pending' }),
  );
  const dueTimes = new Set(pending.map((d) => d.nextAttemptAt ?? context.clock.now()));
  for (const at of dueTimes) armDeliveryWakeup(context, at);
}

onStartup({ name: 'webhook-deliveries', phase: 3, run: rearmWebhookDeliveries });
