import { CarrierClient } from '@esimlab/client';
import { carrierProfiles, seededRandom } from '@esimlab/domain';
import { checkRun, DEV_API_KEY } from '../checker/check-run.ts';
import { IntentLog } from '../intents/intent-log.ts';
import type { ScenarioResult, StepResult } from '../reports/run-report.ts';
import type { LoadedScenario } from '../scenarios/load-scenario.ts';
import type { CarrierLease } from './carrier-pool.ts';
import { sampleTimeline, waitUntilHealthy } from './internal/carrier-probes.ts';
import { scenarioSeed } from './scenario-seed.ts';
import { ScenarioWorld, StepFailure } from './scenario-world.ts';
import { kindOf, runStep } from './step-executors.ts';

export interface RunScenarioOptions {
  readonly runSeed: number;
  /** The shell command that reruns this scenario with the same seed, for reports. */
  readonly replayCommand: string;
  /** Called as each step ends, for progress output. */
  readonly onStep?: (step: StepResult) => void;
}

class ScenarioTimeout extends Error {}

/**
 * Runs one scenario on a carrier it has to itself: resets the carrier, seeds its faults,
 * runs the steps in order until one fails, then has the checker judge every top-up intent
 * against the carrier's ledger, gateway and audit. Never throws for a failing scenario:
 * the failure is in the result.
 */
export async function runScenario(
  loaded: LoadedScenario,
  lease: CarrierLease,
  options: RunScenarioOptions,
): Promise<ScenarioResult> {
  const { scenario } = loaded;
  const seed = scenarioSeed(options.runSeed, scenario.name, scenario.seed);
  const connection = {
    baseUrl: lease.baseUrl,
    ...(lease.adminToken === undefined ? {} : { adminToken: lease.adminToken }),
  };
  const client = new CarrierClient(connection);
  const world = new ScenarioWorld(
    scenario,
    lease.carrier,
    lease.baseUrl,
    seed,
    client,
    seededRandom(seed),
    new IntentLog(),
    (apiKey) => new CarrierClient({ ...connection, apiKey }),
  );
  const steps: StepResult[] = scenario.steps.map((step, index) => ({
    index,
    kind: kindOf(step),
    ...(loaded.stepLines[index] === undefined ? {} : { line: loaded.stepLines[index] }),
    summary: kindOf(step),
    status: 'not-run',
    durationMs: 0,
  }));
  let failure: ScenarioResult['failure'];
  let timedOut = false;

  const runSteps = async () => {
    await waitUntilHealthy(lease.baseUrl, 15_000);
    await client.sim.reset();
    await client.sim.replaceFaults({ rules: [], seed });
    if (scenario.apiStyle !== undefined)
      await client.sim.updateConfig({ apiStyle: scenario.apiStyle });
    for (const [index, step] of scenario.steps.entries()) {
      if (timedOut) return;
      const started = Date.now();
      const result = steps[index] as StepResult;
      try {
        // A crashed carrier is restarted by its launcher; wait for it rather than fail on a refused connection.
        if (world.crashArmed && kindOf(step) !== 'topup') {
          await waitUntilHealthy(lease.baseUrl, 15_000);
        }
        steps[index] = {
          ...result,
          summary: await runStep(world, step),
          status: 'passed',
          durationMs: Date.now() - started,
        };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        steps[index] = {
          ...result,
          status: 'failed',
          durationMs: Date.now() - started,
          detail: message,
        };
        failure = {
          message:
            error instanceof StepFailure
              ? message
              : `${(error as Error).name ?? 'Error'}: ${message}`,
          stepIndex: index,
          ...(result.line === undefined ? {} : { line: result.line }),
        };
        options.onStep?.(steps[index] as StepResult);
        return;
      }
      options.onStep?.(steps[index] as StepResult);
      world.timeline.push(...(await sampleTimeline(world).catch(() => [])));
    }
  };

  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      runSteps(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ScenarioTimeout()), scenario.timeoutMs);
      }),
    ]);
  } catch (error) {
    if (error instanceof ScenarioTimeout) {
      timedOut = true;
      const running = steps.findIndex((s) => s.status === 'not-run');
      failure = {
        message: `timed out after ${scenario.timeoutMs} ms${running >= 0 ? ` in step ${running + 1} (${steps[running]?.kind})` : ''}; raise timeoutMs in the scenario if it needs longer`,
        ...(running >= 0 ? { stepIndex: running } : {}),
        ...(running >= 0 && steps[running]?.line !== undefined
          ? { line: steps[running].line }
          : {}),
      };
    } else {
      failure = { message: `could not prepare the carrier: ${(error as Error).message}` };
    }
  } finally {
    clearTimeout(timer);
  }

  const expected = scenario.checker === 'clean' ? 'clean' : [...scenario.checker.violations].sort();
  let checker: ScenarioResult['checker'] = { ok: false, expected, reported: [] };
  const resolutions = new Map<string, string>();
  if (!timedOut) {
    try {
      await waitUntilHealthy(lease.baseUrl, 15_000);
      const report = await checkRun({
        carriers: [
          {
            carrier: lease.carrier,
            ...connection,
            apiKeys: [DEV_API_KEY, ...[...world.tenants.values()].map((t) => t.apiKey)],
          },
        ],
        intents: world.intents,
        receivers: [...world.receivers.entries()].map(([name, r]) => ({
          name,
          carrier: lease.carrier,
          endpointId: r.endpointId,
          applied: r.receiver.applied(),
        })),
      });
      checker = {
        ok: report.ok,
        expected,
        reported: report.violations.map((v) => ({
          kind: v.kind,
          message: v.message,
          intentIds: [...v.intentIds],
        })),
      };
      for (const intent of report.intents) {
        if (intent.resolution !== undefined) resolutions.set(intent.intentId, intent.resolution);
      }
      const verdict = verdictMismatch(
        expected,
        checker.reported.map((v) => v.kind),
      );
      if (verdict !== undefined && failure === undefined) failure = { message: verdict };
    } catch (error) {
      failure ??= { message: `the checker could not run: ${(error as Error).message}` };
    }
    world.faultHits = await client.sim
      .listFaults()
      .then((plan) =>
        plan.rules
          .filter((rule) => rule.counters.hits > 0)
          .map((rule) => ({
            ruleId: rule.id,
            kind: rule.kind,
            hits: rule.counters.hits,
            ...(rule.match?.path === undefined
              ? {}
              : { match: `${rule.match.method ?? '*'} ${rule.match.path}` }),
          })),
      )
      .catch(() => []);
  }
  await Promise.all([...world.receivers.values()].map((r) => r.receiver.close()));
  await lease.release({ healthy: !timedOut });

  return {
    name: scenario.name,
    file: loaded.file,
    carrier: lease.carrier,
    apiStyle: scenario.apiStyle ?? carrierProfiles[lease.carrier].defaultApiStyle,
    seed,
    status: failure === undefined ? 'passed' : 'failed',
    durationMs: Date.now() - started,
    ...(failure === undefined ? {} : { failure }),
    steps,
    faults: world.faultHits,
    intents: world.intents.all().map((intent) => ({
      intentId: intent.intentId,
      name:
        [...world.topups.entries()].find(([, id]) => id === intent.intentId)?.[0] ??
        intent.intentId,
      iccid: intent.iccid,
      planId: intent.planId,
      strategy: intent.strategy,
      outcome: intent.outcome,
      attempts: intent.attempts,
      ...(resolutions.has(intent.intentId)
        ? { resolution: resolutions.get(intent.intentId) as string }
        : {}),
    })),
    checker,
    timeline: world.timeline,
    replay: options.replayCommand,
  };
}

/** Why the checker's verdict differs from the one the scenario declares, if it does. */
function verdictMismatch(
  expected: 'clean' | readonly string[],
  reported: readonly string[],
): string | undefined {
  const kinds = [...new Set(reported)].sort();
  if (expected === 'clean') {
    return kinds.length === 0
      ? undefined
      : `the checker reports ${kinds.join(', ')}; the scenario expects a clean run`;
  }
  const same = kinds.length === expected.length && kinds.every((k, i) => k === expected[i]);
  return same
    ? undefined
    : `the checker reports ${kinds.join(', ') || 'nothing'}; the scenario expects exactly ${expected.join(', ')}`;
}
