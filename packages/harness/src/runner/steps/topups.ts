import {
  type AttemptResult,
  defaultStrategyFor,
  purchaseTopup,
  type TopupResult,
  type TopupStrategy,
  topupStrategies,
  type WebhookEvent,
} from '@esimlab/client';
import { type MutantStrategyName, mutantStrategies } from '../../mutants/index.ts';
import type { StepOf } from '../../scenarios/scenario-schema.ts';
import { waitUntilHealthy } from '../internal/carrier-probes.ts';
import { type ScenarioWorld, StepFailure } from '../scenario-world.ts';

/**
 * Retries in scenarios: short delays keep suites fast, and an attempt may take longer than
 * the slow gateway (3 s) so a slow payment is not mistaken for a lost one.
 */
const scenarioRetry = { baseDelayMs: 50, maxDelayMs: 1000, attemptTimeoutMs: 6000 } as const;

/** `topup`: one intent, bought through a client strategy; `concurrent` sends it several times at once. */
export async function buyTopup(world: ScenarioWorld, step: StepOf<'topup'>): Promise<string> {
  const esim = world.esim(step.esim);
  const client = step.tenant === undefined ? esim.client : world.tenantClient(step.tenant);
  const { name: strategyName, strategy } = await strategyOf(world, step.strategy);
  const intentId = `${world.seed.toString(16)}-${step.as}`;
  const intent = {
    intentId,
    iccid: esim.iccid,
    planId: step.plan,
    paymentMethod: step.paymentMethod,
  };
  const startedAtMs = world.elapsedMs();
  const waitForEvent = receiverWait(world);
  const results = await Promise.all(
    Array.from({ length: step.concurrent }, () =>
      purchaseTopup(client, intent, {
        strategy,
        retry: { ...scenarioRetry, ...(step.maxAttempts ? { maxAttempts: step.maxAttempts } : {}) },
        random: () => world.random.next(),
        sleep: (ms) => backoff(world, ms),
        ...(waitForEvent ? { waitForEvent } : {}),
      }),
    ),
  );
  const result = combined(results);
  const outcome = result.outcome;
  const attempts = results.flatMap((r) => r.attempts);
  world.topups.set(step.as, intentId);
  world.intents.record({
    intentId,
    carrier: world.carrier,
    iccid: esim.iccid,
    planId: step.plan,
    strategy: strategyName,
    ...(result.intent.idempotencyKey === undefined
      ? {}
      : { idempotencyKey: result.intent.idempotencyKey }),
    ...(result.intent.clientReference === undefined
      ? {}
      : { clientReference: result.intent.clientReference }),
    outcome: outcome.status,
    ...(outcome.status === 'ok' ? { topupId: outcome.topup.id } : {}),
    ...(outcome.status === 'failed' && outcome.problem
      ? { problemCode: outcome.problem.code }
      : {}),
    attempts: attempts.map((a) => ({
      atMs: a.startedAtMs - world.startedAtMs,
      durationMs: a.durationMs,
      request: a.request,
      result: describeResult(a.result),
    })),
    startedAtMs,
    endedAtMs: world.elapsedMs(),
  });

  const summary = `topup ${step.as} ${step.plan} (${strategyName}${step.concurrent > 1 ? `, ×${step.concurrent} at once` : ''}) → ${outcome.status} after ${attempts.length} request${attempts.length === 1 ? '' : 's'}`;
  if (step.expect !== undefined && outcome.status !== step.expect) {
    const why =
      outcome.status === 'unknown'
        ? outcome.reason
        : outcome.status === 'failed'
          ? (outcome.problem?.code ?? 'top-up failed')
          : `top-up ${outcome.topup.id}`;
    throw new StepFailure(`${summary}; expected ${step.expect} (${why})`);
  }
  if (step.error !== undefined) {
    const code = outcome.status === 'failed' ? outcome.problem?.code : undefined;
    if (code !== step.error) {
      throw new StepFailure(
        `${summary}; expected a failure with ${step.error}, got ${code ?? outcome.status}`,
      );
    }
  }
  return summary;
}

/** One intent's outcome from concurrent sends: what the client learnt, the most certain first. */
function combined(results: readonly TopupResult[]): TopupResult {
  const rank = { ok: 0, failed: 1, unknown: 2 } as const;
  const sorted = [...results].sort((a, b) => rank[a.outcome.status] - rank[b.outcome.status]);
  const first = sorted[0];
  if (first === undefined) throw new Error('a top-up step sends at least once');
  return first;
}

async function strategyOf(
  world: ScenarioWorld,
  name: string | undefined,
): Promise<{ name: string; strategy: TopupStrategy }> {
  if (name === undefined) {
    const { apiStyle } = await world.client.sim.getConfig();
    return { name: apiStyle, strategy: defaultStrategyFor(apiStyle) };
  }
  if (name.startsWith('mutant:')) {
    const mutant = name.slice('mutant:'.length);
    if (!Object.hasOwn(mutantStrategies, mutant)) {
      throw new StepFailure(
        `no mutant client "${mutant}"; the mutants are ${Object.keys(mutantStrategies).join(', ')}`,
      );
    }
    return { name, strategy: mutantStrategies[mutant as MutantStrategyName] };
  }
  const strategy = topupStrategies[name as keyof typeof topupStrategies];
  if (strategy === undefined) throw new StepFailure(`no client strategy "${name}"`);
  return { name, strategy };
}

/** With a deduping receiver subscribed, an async top-up waits for its webhook instead of polling. */
function receiverWait(
  world: ScenarioWorld,
): ((topupId: string, timeoutMs: number) => Promise<WebhookEvent | undefined>) | undefined {
  const correct = [...world.receivers.values()].find((r) => r.dedupes);
  if (correct === undefined) return undefined;
  return (topupId, timeoutMs) =>
    correct.receiver.waitFor(
      (event) => event.type.startsWith('topup.') && (event.data as { id?: unknown }).id === topupId,
      timeoutMs,
    );
}

/** An attempt's result in a few words, for logs and reports: `201 succeeded`, `reset after headers`. */
function describeResult(result: AttemptResult): string {
  if (result.type === 'response') {
    return [result.httpStatus, result.code, result.topupStatus]
      .filter((p) => p !== undefined)
      .join(' ');
  }
  return `${result.kind} ${result.phase.replaceAll('-', ' ')}`;
}

/**
 * The client's backoff. Once a crash point is armed, it also waits for the restarted carrier
 * to answer again, as a phone app waits for connectivity: a refused connection reached no
 * carrier, and should not use up the retries before the launcher has restarted it.
 */
async function backoff(world: ScenarioWorld, ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  if (world.crashArmed) await waitUntilHealthy(world.baseUrl, 30_000);
}
