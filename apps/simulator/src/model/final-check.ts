import { isTopupEvent, type WebhookDelivery } from '@esimlab/client';
import type { CarrierWorld } from './carrier-world.ts';
import { deliveriesOf, resend } from './internal/webhook-support.ts';
import { ADVANCE_TIMEOUT_MS, steadily } from './internal/world-calls.ts';
import { remainingBytesOf } from './invariants.ts';
import type { SimulationModel } from './simulation-model.ts';
import type { SimulationViolation } from './simulation-violation.ts';

/** How long the carrier's clock moves at the end: past every async completion and first webhook retry. */
const SETTLE_CLOCK = 'PT2M';
/**
 * How long the end waits for webhook deliveries to land: a delivery held in a reorder window
 * or delayed by a fault is on its way for seconds; one dropped is resent.
 */
const FLUSH_DEADLINE_MS = 30_000;
const FLUSH_POLL_MS = 250;

/**
 * The full check once the commands are done. The network heals (faults and crash points
 * off), the carrier's clock moves past pending async completions, undelivered webhooks are
 * resent; then:
 * - the carrier's audit joined with the intents (`POST /_sim/audit`): no duplicate charge, no
 *   lost top-up, every `ok` intent charged and credited once, no `failed` intent charged;
 * - each `unknown` intent resolved as the audit reports (credited iff captured), and every
 *   eSIM's balance then exactly the model's: credited minus used;
 * - webhooks: every delivery delivered, no event applied twice, and a `topup.succeeded`
 *   applied for every `ok` intent;
 * - nothing failed inside the carrier itself.
 */
export async function finalCheck(
  model: SimulationModel,
  world: CarrierWorld,
): Promise<SimulationViolation[]> {
  const violations: SimulationViolation[] = [];
  if (model.httpFaults + model.webhookFaults > 0) {
    await steadily(world, () => world.client.sim.clearFaults());
  }
  if (model.crashPossible) await steadily(world, () => world.client.sim.disarmCrashPoints());
  // Only an async top-up or an unknown one can still be completing.
  if (model.apiStyle === 'async' || model.intents.some((i) => i.status === 'unknown')) {
    await steadily(world, () =>
      world.client.sim.advanceClock({ by: SETTLE_CLOCK }, { timeoutMs: ADVANCE_TIMEOUT_MS }),
    );
  }
  // The receiver hears of top-ups only: with none attempted, there is nothing to deliver.
  const deliveries = model.intents.length === 0 ? [] : await flushWebhooks(model, world);

  const audit = await steadily(world, () =>
    world.client.sim.audit({ intents: model.intents.map((i) => i.intent) }),
  );
  for (const v of audit.violations) {
    violations.push({ kind: v.kind, message: v.message, intentIds: v.evidence.intentIds });
  }
  const resolutions = new Map(audit.unknownIntents.map((u) => [u.intentId, u.resolution]));
  for (const intent of model.intents) {
    if (intent.status !== 'unknown') continue;
    const resolution = resolutions.get(intent.intentId);
    if (resolution === 'charged_and_credited') intent.resolution = 'credited';
    else if (resolution === 'not_charged') intent.resolution = 'not_credited';
    // Any other resolution is one of the audit's violations, reported above.
  }

  // Data used was checked exactly at every use; what is left must now be exact too.
  const remaining = model.esims.length === 0 ? new Map() : await remainingBytesOf(world);
  for (const esim of model.esims) {
    const credited =
      esim.creditedBytes +
      model.intents
        .filter((i) => i.esim === esim && i.resolution === 'credited')
        .reduce((sum, i) => sum + i.credits.reduce((s, c) => s + c.bytes, 0), 0);
    const expected = credited - esim.usedBytes;
    const left = remaining.get(esim.iccid);
    if (left !== expected) {
      violations.push({
        kind: 'balance_mismatch',
        message: `eSIM ${esim.label} (${esim.iccid}) ends with ${left ?? 'no'} bytes left; the model says ${expected} (credited ${credited}, used ${esim.usedBytes})`,
      });
    }
  }

  violations.push(...webhookViolations(model, world, deliveries));
  for (const failure of world.carrierFailures()) {
    violations.push({ kind: 'carrier_failure', message: failure });
  }
  return violations;
}

/** Resends what is not delivered and waits until everything is, or the deadline; returns the deliveries. */
async function flushWebhooks(
  model: SimulationModel,
  world: CarrierWorld,
): Promise<WebhookDelivery[]> {
  let deliveries = await deliveriesOf(model, world);
  for (let waited = 0; waited < FLUSH_DEADLINE_MS; waited += FLUSH_POLL_MS) {
    const backlog = deliveries.filter((d) => d.status !== 'delivered');
    if (backlog.length === 0) break;
    // A delivery with no attempt yet may be on the wire (held back by a fault): wait for it.
    await resend(
      world,
      backlog.filter((d) => d.attempts.length > 0 || d.status === 'failed'),
    );
    await world.pause(FLUSH_POLL_MS);
    deliveries = await deliveriesOf(model, world);
  }
  return deliveries;
}

function webhookViolations(
  model: SimulationModel,
  world: CarrierWorld,
  deliveries: readonly WebhookDelivery[],
): SimulationViolation[] {
  const violations: SimulationViolation[] = [];
  const applied = world.receiver.applied();
  const times = new Map<string, number>();
  for (const event of applied) times.set(event.id, (times.get(event.id) ?? 0) + 1);
  for (const [eventId, count] of times) {
    if (count > 1) {
      violations.push({
        kind: 'event_applied_twice',
        message: `the receiver applied event ${eventId} ${count} times; a receiver must dedupe on the event id`,
      });
    }
  }
  for (const delivery of deliveries) {
    if (delivery.status !== 'delivered' && !times.has(delivery.eventId)) {
      violations.push({
        kind: 'event_not_delivered',
        message: `event ${delivery.eventId} (${delivery.type}) never reached the receiver: delivery ${delivery.id} is ${delivery.status} after ${delivery.attempts.length} attempts`,
      });
    }
  }
  const succeeded = new Set(
    applied.filter(isTopupEvent).flatMap((e) => (e.type === 'topup.succeeded' ? [e.data.id] : [])),
  );
  for (const intent of model.intents) {
    const outcome = intent.intent.outcome;
    if (
      outcome.status === 'ok' &&
      outcome.topupId !== undefined &&
      !succeeded.has(outcome.topupId)
    ) {
      violations.push({
        kind: 'event_not_delivered',
        message: `intent ${intent.intentId} succeeded (top-up ${outcome.topupId}) but the receiver never applied its topup.succeeded event`,
        intentIds: [intent.intentId],
      });
    }
  }
  return violations;
}
