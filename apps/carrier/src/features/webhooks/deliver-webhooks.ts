import { AsyncResource } from 'node:async_hooks';
import { toIso } from '@esimlab/domain';
import type { StoreTx } from '@esimlab/store';
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
import { perStore } from '../../persistence/per-store.ts';
import { holdNow } from '../../replication/hold.ts';
import { liveReplicas } from '../../replication/replica-registry.ts';
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

// Deliveries with an attempt on the wire from this process, per store: never two attempts of
// one delivery at once. Across replicas, the delivery's `claim` (the sending replica) does the
// same: another replica claims it only once the sender is presumed dead.
const inFlightOf = perStore(() => new Set<string>());

/** Whether an attempt of this delivery is on the wire right now, from any live replica. */
export async function isDeliveryInFlight(
  tx: StoreTx,
  context: CarrierContext,
  delivery: WebhookDeliveryRecord,
): Promise<boolean> {
  if (inFlight(context).has(delivery.id)) return true;
  const { claim } = delivery;
  if (claim === undefined || claim.replica === context.replica.id) return false;
  return (await liveReplicas(tx, context)).has(claim.replica);
}

function inFlight(context: CarrierContext): Set<string> {
  return inFlightOf(context.store);
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

/**
 * Claims up to a batch of due deliveries for this process, in one transaction: each gets this
 * replica's `claim`, so no other replica attempts it meanwhile (no duplicate from replication),
 * and the in-process set, so no other task of this process does. A claim by a replica presumed
 * dead is taken over: its attempt may or may not have reached the receiver (at least once).
 */
async function claimDueDeliveries(context: CarrierContext): Promise<DeliveryClaim[]> {
  const busy = inFlight(context);
  const self = context.replica.id;
  // Marked busy inside the transaction, so a concurrent claim in this process never sees a
  // delivery claimed but not yet busy; unmarked if this attempt rolls back or runs again.
  let marked: string[] = [];
  const unmark = () => {
    for (const id of marked) busy.delete(id);
    marked = [];
  };
  try {
    return await context.store.transaction(async (tx) => {
      unmark();
      const now = context.clock.now();
      const live = await liveReplicas(tx, context);
      const pending = await tx.find(
        webhookDeliveries,
        { status: 'pending' },
        { orderBy: 'nextAttemptAt' },
      );
      const claims: DeliveryClaim[] = [];
      for (const delivery of pending) {
        if (claims.length >= CLAIM_BATCH) break;
        if (delivery.nextAttemptAt === null || delivery.nextAttemptAt > now) break;
        if (busy.has(delivery.id)) continue;
        const { claim } = delivery;
        if (claim !== undefined && claim.replica !== self && live.has(claim.replica)) continue;
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
        const claimed: WebhookDeliveryRecord = { ...delivery, claim: holdNow(context) };
        await tx.update(webhookDeliveries, claimed);
        claims.push({ delivery: claimed, endpoint, event });
      }
      for (const { delivery } of claims) {
        busy.add(delivery.id);
        marked.push(delivery.id);
      }
      return claims;
    });
  } catch (error) {
    unmark();
    throw error;
  }
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
    // Another replica may have taken the delivery over meanwhile (this one looked dead): the
    // attempt still happened, so it is recorded, but its claim is that replica's to release.
    const { claim, ...unclaimed } = current;
    const stillOurs = claim === undefined || claim.replica === context.replica.id;
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
    await tx.update(webhookDeliveries, {
      ...(stillOurs ? unclaimed : current),
      attempts,
      status,
      nextAttemptAt,
    });
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
