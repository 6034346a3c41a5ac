import { type FaultRule, requestMatches, type WebhookFaultKind } from '@esimlab/faults';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { recordEvent } from '../events/journal.ts';
import { holdForReorder } from './internal/reorder-window.ts';

export type WebhookFaultRule = Extract<FaultRule, { kind: WebhookFaultKind }>;

/** How long a `webhook-reorder` window stays open when the rule names no `windowMs`. */
export const DEFAULT_REORDER_WINDOW_MS = 1_000;

/** One attempt of a delivery, as the webhook rules see it. */
export interface WebhookAttempt {
  readonly deliveryId: string;
  readonly endpointId: string;
  readonly eventId: string;
  readonly url: string;
  /** Headers the attempt is sent with (a rule's `match.header` looks at them). */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The retry schedule's last attempt. `webhook-drop` spares it: the network may lose attempts,
   * but a fault must not turn into a lost event, since deliveries are at least once.
   */
  readonly lastInSchedule: boolean;
}

/** The outcome of one POST to a receiver: what the delivery log records. */
export interface WebhookSendOutcome {
  readonly statusCode?: number;
  readonly error?: string;
  readonly durationMs: number;
}

/** What the webhook rules that fired do to one attempt. */
export interface WebhookFaultDecision {
  /** The `webhook-drop` rule that lost the attempt on the way: nothing reaches the receiver. */
  readonly droppedBy?: string;
  /** `webhook-delay`: wall time to wait before sending; rules that fire add up. */
  readonly delayMs: number;
  /** `webhook-duplicate`: extra copies of the same signed event; rules that fire add up. */
  readonly copies: number;
  /** `webhook-reorder`: the window the attempt waits in, to go out in a shuffled order. */
  readonly reorderWindowMs?: number;
  /** The rules that fired, in list order. */
  readonly ruleIds: readonly string[];
}

/**
 * Walks the webhook rules in list order for one attempt: each rule whose `match` holds for the
 * POST the attempt sends (method POST, the endpoint URL's path, the headers) is rolled once with
 * the plan's seeded source, so the same seed and deliveries fail the same way. Every rule that
 * fires applies: delays and copies add up, one drop loses the attempt, the first reorder rule
 * names the window.
 */
export function decideWebhookFaults(
  context: CarrierContext,
  attempt: WebhookAttempt,
): WebhookFaultDecision {
  const rules = context.faults.rulesFor('webhook') as WebhookFaultRule[];
  if (rules.length === 0) return { delayMs: 0, copies: 0, ruleIds: [] };
  const request = { method: 'POST', path: new URL(attempt.url).pathname, headers: attempt.headers };
  let droppedBy: string | undefined;
  let delayMs = 0;
  let copies = 0;
  let reorderWindowMs: number | undefined;
  const ruleIds: string[] = [];
  for (const rule of rules) {
    if (rule.kind === 'webhook-drop' && attempt.lastInSchedule) continue;
    if (!requestMatches(rule.match, request) || !context.faults.roll(rule)) continue;
    ruleIds.push(rule.id);
    switch (rule.kind) {
      case 'webhook-drop':
        droppedBy ??= rule.id;
        break;
      case 'webhook-delay':
        delayMs += rule.params.ms;
        break;
      case 'webhook-duplicate':
        copies += rule.params.copies ?? 1;
        break;
      case 'webhook-reorder':
        reorderWindowMs ??= rule.params.windowMs ?? DEFAULT_REORDER_WINDOW_MS;
        break;
    }
  }
  return {
    ...(droppedBy === undefined ? {} : { droppedBy }),
    delayMs,
    copies,
    ...(reorderWindowMs === undefined ? {} : { reorderWindowMs }),
    ruleIds,
  };
}

/**
 * Sends one delivery attempt through the webhook fault rules and returns what the delivery log
 * records. A reordered attempt first waits in its endpoint's window; a delayed one waits `ms`
 * of wall time; a dropped one is never sent and comes back as a failed attempt, retried on the
 * normal backoff; a duplicated one is followed by its copies (the same body, signed the same
 * way), whose answers are not recorded: the receiver just sees the event again.
 */
export async function sendWithWebhookFaults(
  context: CarrierContext,
  attempt: WebhookAttempt,
  send: () => Promise<WebhookSendOutcome>,
): Promise<WebhookSendOutcome> {
  const decision = decideWebhookFaults(context, attempt);
  if (decision.ruleIds.length === 0) return send();

  const release =
    decision.reorderWindowMs === undefined
      ? undefined
      : await holdForReorder(context, attempt.endpointId, decision.reorderWindowMs);
  let outcome: WebhookSendOutcome;
  const copyStatuses: (number | string)[] = [];
  try {
    if (decision.delayMs > 0) await context.scheduler.delay(decision.delayMs);
    if (decision.droppedBy !== undefined) {
      outcome = {
        error: `dropped: fault rule \`${decision.droppedBy}\` (webhook-drop) lost this attempt on the way`,
        durationMs: 0,
      };
    } else {
      outcome = await send();
      for (let i = 0; i < decision.copies; i++) {
        const copy = await send();
        copyStatuses.push(copy.statusCode ?? copy.error ?? 'no answer');
      }
    }
  } finally {
    release?.();
  }
  await journalWebhookFaults(context, attempt, decision, copyStatuses);
  return outcome;
}

async function journalWebhookFaults(
  context: CarrierContext,
  attempt: WebhookAttempt,
  decision: WebhookFaultDecision,
  copyStatuses: readonly (number | string)[],
): Promise<void> {
  const data = {
    deliveryId: attempt.deliveryId,
    eventId: attempt.eventId,
    endpointId: attempt.endpointId,
    faultRules: decision.ruleIds,
    dropped: decision.droppedBy !== undefined,
    delayMs: decision.delayMs,
    copies: copyStatuses.length,
    ...(copyStatuses.length > 0 ? { copyStatuses } : {}),
    reordered: decision.reorderWindowMs !== undefined,
  };
  context.logger.info(data, 'webhook fault injected');
  await context.store.transaction((tx) =>
    recordEvent(tx, context, { type: 'webhook.faulted', data }),
  );
}
