import type { LoadRuntime } from '../flow/load-runtime.ts';
import type { ExecutorConfig } from '../scenarios/executor-config.ts';
import { summaryTrendStats } from '../scenarios/k6-options.ts';
import type { SummaryData } from '../summary/summary-data.ts';
import { formatMs } from '../summary/text-summary.ts';
import { type ExecutionCounts, ScenarioExecution } from './executors/scenario-execution.ts';
import { InterruptibleRuntime } from './internal/interruptible-runtime.ts';
import type { Trend } from './metrics/metric.ts';
import {
  MetricRegistry,
  type ThresholdSpec,
  type ThresholdVerdict,
} from './metrics/metric-registry.ts';
import { type ProgressOutput, type ProgressSnapshot, progressReporter } from './progress-line.ts';
import { IterationInterrupted, UndiciLoadHttp } from './undici-load-http.ts';

/** What an iteration knows about itself (k6's `exec.vu` and `exec.scenario`). */
export interface VuContext {
  /** 1-based. */
  readonly vu: number;
  /** 0-based and unique in the scenario: k6's `exec.scenario.iterationInTest`. */
  readonly iterationInTest: number;
  readonly runtime: LoadRuntime;
}

/**
 * A load test as k6 structures one: `setup` once (its result is every iteration's `data`),
 * `iterate` as the executor schedules it, `teardown` once at the end.
 */
export interface Workload<D> {
  readonly scenario: string;
  readonly executor: ExecutorConfig;
  readonly thresholds?: readonly ThresholdSpec[];
  setup?(runtime: LoadRuntime): Promise<D>;
  iterate(data: D, vu: VuContext): Promise<void>;
  teardown?(data: D, runtime: LoadRuntime): Promise<void>;
}

export interface WorkloadOptions {
  /** Where the run's metrics go; pass one to add custom metrics before the run. */
  readonly metrics?: MetricRegistry;
  /** Keep-alive connections per origin for the iterations; default one per VU. */
  readonly connections?: number;
  readonly progress?: ProgressOutput;
  /** Stops the run early, as Ctrl-C stops k6: running iterations are interrupted, teardown runs. */
  readonly stopSignal?: AbortSignal;
}

export interface LatencySummary {
  readonly avgMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export interface WorkloadResult<D> {
  /** What setup returned. */
  readonly data: D;
  /** k6's end-of-test data. */
  readonly summary: SummaryData;
  readonly thresholds: readonly ThresholdVerdict[];
  /**
   * Every enforced threshold held, no iteration failed to run, teardown succeeded and nothing
   * stopped the run early.
   */
  readonly passed: boolean;
  /** From the first iteration due to the last one ended. */
  readonly scenarioDurationMs: number;
  readonly iterations: Omit<ExecutionCounts, 'vusActive'>;
  /** The iterations' requests (not setup's or teardown's) per second of the scenario. */
  readonly requestsPerSecond: number;
  /** http_req_duration over the whole run. */
  readonly latency: LatencySummary;
  /** The first few errors iterations threw (an iteration that throws is a bug in its flow). */
  readonly iterationErrors: readonly string[];
  readonly teardownError?: string;
  /** The stop signal cut the scenario short: it did not run its planned length. */
  readonly stoppedEarly: boolean;
  /** When it fired, in ms since the first iteration was due (past the plan: in the graceful stop). */
  readonly stoppedAtMs?: number;
  readonly metrics: MetricRegistry;
}

const SAMPLE_EVERY_MS = 1000;
const KEPT_ERRORS = 10;
/** Setup and teardown make a handful of sequential requests. */
const CONTROL_CONNECTIONS = 2;

/**
 * Runs a workload like `k6 run`: setup, the executor's iterations over undici with k6's
 * built-in metrics (http_reqs, http_req_duration, http_req_failed, iterations,
 * iteration_duration, dropped_iterations, vus, vus_max), teardown, then the thresholds.
 * Rejects only when setup fails (with setup's error).
 */
export async function runWorkload<D>(
  workload: Workload<D>,
  options: WorkloadOptions = {},
): Promise<WorkloadResult<D>> {
  const metrics = options.metrics ?? new MetricRegistry();
  const httpMetrics = {
    reqs: metrics.counter('http_reqs'),
    duration: metrics.trend('http_req_duration', true),
    failed: metrics.rate('http_req_failed'),
  };
  const iterations = metrics.counter('iterations');
  const iterationDuration = metrics.trend('iteration_duration', true);
  const dropped = metrics.counter('dropped_iterations');
  const vus = metrics.gauge('vus');
  const vusMax = metrics.gauge('vus_max');
  for (const threshold of workload.thresholds ?? []) metrics.addThreshold(threshold);

  const testStartedAt = performance.now();
  const control = new UndiciLoadHttp({ connections: CONTROL_CONNECTIONS, metrics: httpMetrics });
  const controlRuntime = new InterruptibleRuntime(control);
  let data: D;
  try {
    data = workload.setup ? await workload.setup(controlRuntime) : (undefined as D);
  } catch (error) {
    await control.close();
    throw error;
  }

  const executor = workload.executor;
  const maxVUs = executor.executor === 'constant-vus' ? executor.vus : executor.maxVUs;
  const http = new UndiciLoadHttp({
    connections: options.connections ?? Math.max(1, maxVUs),
    metrics: httpMetrics,
  });
  const runtime = new InterruptibleRuntime(http);
  const iterationErrors: string[] = [];
  const execution = new ScenarioExecution(executor, {
    async iterate(vu, iterationInTest) {
      const started = performance.now();
      try {
        await workload.iterate(data, { vu, iterationInTest, runtime });
        iterations.add(1);
        iterationDuration.add(performance.now() - started);
        return 'completed';
      } catch (error) {
        if (error instanceof IterationInterrupted) return 'interrupted';
        const message = error instanceof Error ? error.message : String(error);
        if (iterationErrors.length < KEPT_ERRORS && !iterationErrors.includes(message)) {
          iterationErrors.push(message);
        }
        return 'failed';
      }
    },
    interrupt: () => runtime.interrupt(),
    dropped: () => dropped.add(1),
    ...(options.stopSignal === undefined ? {} : { stopSignal: options.stopSignal }),
  });

  const progress = options.progress === undefined ? undefined : progressReporter(options.progress);
  const requestsBefore = httpMetrics.reqs.count;
  let lastRequests = requestsBefore;
  let lastSampleAt = performance.now();
  const snapshot = (finished = false): ProgressSnapshot => {
    const counts = execution.counts();
    const now = performance.now();
    const requests = httpMetrics.reqs.count - requestsBefore;
    const currentRps =
      ((httpMetrics.reqs.count - lastRequests) * 1000) / Math.max(1, now - lastSampleAt);
    lastRequests = httpMetrics.reqs.count;
    lastSampleAt = now;
    return {
      scenario: workload.scenario,
      elapsedMs: execution.elapsedMs(),
      durationMs: execution.durationMs,
      stopping: execution.stopping,
      finished,
      vusActive: counts.vusActive,
      vusMax: counts.vusAllocated,
      completed: counts.completed + counts.failed,
      interrupted: counts.interrupted,
      dropped: counts.dropped,
      requests,
      currentRps,
      p95Ms: httpMetrics.duration.percentile(95),
    };
  };
  const sample = () => {
    const counts = execution.counts();
    vus.add(counts.vusActive);
    vusMax.add(counts.vusAllocated);
    progress?.show(snapshot());
  };
  vusMax.add(execution.counts().vusAllocated);
  const sampler = setInterval(sample, SAMPLE_EVERY_MS);
  let counts: ExecutionCounts;
  let scenarioDurationMs: number;
  try {
    counts = await execution.run();
    scenarioDurationMs = execution.elapsedMs();
  } finally {
    clearInterval(sampler);
    vus.add(0);
    vusMax.add(execution.counts().vusAllocated);
    await http.close();
  }
  progress?.finish(snapshot(true));
  const scenarioRequests = httpMetrics.reqs.count - requestsBefore;

  let teardownError: string | undefined;
  try {
    await workload.teardown?.(data, controlRuntime);
  } catch (error) {
    teardownError = error instanceof Error ? error.message : String(error);
  } finally {
    await control.close();
  }

  const testRunDurationMs = performance.now() - testStartedAt;
  const verdicts = metrics.evaluate(testRunDurationMs);
  const { vusActive: _active, ...iterationCounts } = counts;
  // What keeps the run from passing besides its thresholds, for the reports to show too.
  const problems = [
    ...(execution.stoppedEarly ? [stopProblem(execution, counts)] : []),
    ...(counts.failed > 0
      ? [`${counts.failed} iteration${counts.failed === 1 ? '' : 's'} failed to run`]
      : []),
    ...(teardownError === undefined ? [] : [`teardown failed: ${teardownError}`]),
  ];
  const summary = metrics.summary(testRunDurationMs, summaryTrendStats, verdicts);
  const stoppedAtMs = execution.stoppedAtMs;
  return {
    data,
    summary:
      problems.length === 0 ? summary : { ...summary, state: { ...summary.state, problems } },
    thresholds: verdicts,
    passed: verdicts.every((v) => v.ok || !v.enforced) && problems.length === 0,
    scenarioDurationMs,
    iterations: iterationCounts,
    requestsPerSecond: scenarioDurationMs <= 0 ? 0 : (scenarioRequests * 1000) / scenarioDurationMs,
    latency: latencyOf(httpMetrics.duration),
    iterationErrors,
    ...(teardownError === undefined ? {} : { teardownError }),
    stoppedEarly: execution.stoppedEarly,
    ...(stoppedAtMs === undefined ? {} : { stoppedAtMs }),
    metrics,
  };
}

function stopProblem(execution: ScenarioExecution, counts: ExecutionCounts): string {
  const at = execution.stoppedAtMs ?? 0;
  const interrupted = `${counts.interrupted} iteration${counts.interrupted === 1 ? '' : 's'} interrupted`;
  return at < execution.durationMs
    ? `stopped early, after ${formatMs(at)} of the ${formatMs(execution.durationMs)} planned; ${interrupted}`
    : `stopped during the graceful stop, after the ${formatMs(execution.durationMs)} planned; ${interrupted}`;
}

function latencyOf(trend: Trend): LatencySummary {
  return {
    avgMs: trend.statistic('avg') ?? 0,
    p50Ms: trend.percentile(50),
    p90Ms: trend.percentile(90),
    p95Ms: trend.percentile(95),
    p99Ms: trend.percentile(99),
    maxMs: trend.statistic('max') ?? 0,
  };
}
