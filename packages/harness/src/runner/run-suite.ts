import { carrierProfiles } from '@esimlab/domain';
import type { RunReport, ScenarioResult } from '../reports/run-report.ts';
import type { LoadedScenario } from '../scenarios/load-scenario.ts';
import type { CarrierPool } from './carrier-pool.ts';
import { runScenario } from './run-scenario.ts';
import { scenarioSeed } from './scenario-seed.ts';

export interface RunSuiteOptions {
  readonly scenarios: readonly LoadedScenario[];
  readonly pool: CarrierPool;
  readonly runSeed: number;
  /** How many scenarios run at once; default the pool's capacity. */
  readonly concurrency?: number;
  /** Stop starting scenarios after the first failure. */
  readonly bail?: boolean;
  readonly target: RunReport['target'];
  /** How the run was started, for the report. */
  readonly command: string;
  /** The command that reruns one scenario with the run's seed. */
  readonly replayCommand: (scenario: LoadedScenario, runSeed: number) => string;
  readonly onScenarioStart?: (scenario: LoadedScenario) => void;
  readonly onScenarioEnd?: (
    result: ScenarioResult,
    progress: { done: number; total: number },
  ) => void;
}

/**
 * Runs scenarios in parallel, each on a carrier of its own from the pool, and returns the
 * run's report with the results in the order of `scenarios`.
 */
export async function runSuite(options: RunSuiteOptions): Promise<RunReport & { notRun: number }> {
  const startedAt = new Date();
  const queue = options.scenarios.map((scenario, index) => ({ scenario, index }));
  const results: (ScenarioResult | undefined)[] = [];
  const total = queue.length;
  let done = 0;
  let bailed = false;

  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      if (bailed) return;
      const { scenario, index } = next;
      options.onScenarioStart?.(scenario);
      const replayCommand = options.replayCommand(scenario, options.runSeed);
      const result = await options.pool.acquire(scenario.scenario.carrier).then(
        (lease) => runScenario(scenario, lease, { runSeed: options.runSeed, replayCommand }),
        (error: Error) => unrunnable(scenario, options.runSeed, replayCommand, error),
      );
      results[index] = result;
      done += 1;
      if (result.status === 'failed' && options.bail) bailed = true;
      options.onScenarioEnd?.(result, { done, total });
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? options.pool.capacity, total));
  await Promise.all(Array.from({ length: concurrency }, worker));

  const scenarios = results.filter((r): r is ScenarioResult => r !== undefined);
  const passed = scenarios.filter((r) => r.status === 'passed').length;
  return {
    version: 1,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    seed: options.runSeed,
    target: options.target,
    command: options.command,
    scenarios,
    summary: { total: scenarios.length, passed, failed: scenarios.length - passed },
    notRun: total - scenarios.length,
  };
}

/** A scenario that never got a carrier (it could not start, or none was given for it). */
function unrunnable(
  loaded: LoadedScenario,
  runSeed: number,
  replay: string,
  error: Error,
): ScenarioResult {
  const { scenario } = loaded;
  return {
    name: scenario.name,
    file: loaded.file,
    carrier: scenario.carrier,
    apiStyle: scenario.apiStyle ?? carrierProfiles[scenario.carrier].defaultApiStyle,
    seed: scenarioSeed(runSeed, scenario.name, scenario.seed),
    status: 'failed',
    durationMs: 0,
    failure: { message: `no ${scenario.carrier} carrier to run on: ${error.message}` },
    steps: [],
    faults: [],
    intents: [],
    checker: {
      ok: false,
      expected: scenario.checker === 'clean' ? 'clean' : [...scenario.checker.violations].sort(),
      reported: [],
    },
    timeline: [],
    replay,
  };
}
