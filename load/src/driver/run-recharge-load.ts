import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { PurchaseStrategy } from '../flow/purchase-strategy.ts';
import { describeAudit, type RechargeAudit } from '../flow/recharge-audit.ts';
import { type RechargeResult, rechargeIteration } from '../flow/recharge-iteration.ts';
import type { RechargeRetryPolicy, RechargeRun } from '../flow/recharge-run.ts';
import { type FaultArming, setupRecharge } from '../flow/recharge-setup.ts';
import { teardownRecharge } from '../flow/recharge-teardown.ts';
import {
  type LoadScenarioName,
  planScenario,
  type ScenarioPlan,
  type ScenarioSettings,
} from '../scenarios/load-scenarios.ts';
import { type Enforcement, isEnforced } from '../scenarios/recharge-thresholds.ts';
import { summaryFiles } from '../summary/summary-files.ts';
import { MetricRegistry, type ThresholdSpec } from './metrics/metric-registry.ts';
import { registerRechargeMetrics } from './metrics/recharge-metric-set.ts';
import type { ProgressOutput } from './progress-line.ts';
import { runWorkload, type WorkloadResult } from './run-workload.ts';

export interface RechargeLoadOptions {
  /**
   * The carrier, e.g. `http://127.0.0.1:4101`, or every replica of it: iterations spread
   * across them round-robin, and a retry after a lost answer goes to the next one. Its state
   * is reset (seeded) first, through the first URL.
   */
  readonly baseUrl: string | readonly string[];
  /** Top up the eSIMs already on the carrier instead of seeding (no reset, no faults armed). */
  readonly reuseSeeded?: boolean;
  readonly scenario: LoadScenarioName;
  /** Rate, duration and VUs over the scenario's defaults. */
  readonly settings?: ScenarioSettings;
  /** Default `all`; CI uses `correctness`: latency and error budgets are reported, not enforced. */
  readonly enforcement?: Enforcement;
  /** Replaces the scenario's faults (flaky arms flaky-mobile; the others none). */
  readonly faults?: FaultArming;
  readonly faultSeed?: number;
  readonly subscribers?: number;
  readonly apiKey?: string;
  readonly adminToken?: string;
  readonly retry?: Partial<RechargeRetryPolicy>;
  /** Buys with this strategy instead of the carrier's API style's (tests prove a broken one is caught). */
  readonly strategy?: PurchaseStrategy;
  readonly connections?: number;
  /** Called with each intent once its outcome is known, e.g. to check it against the ledger. */
  readonly onIntent?: (result: RechargeResult) => void;
  readonly progress?: ProgressOutput;
  readonly stopSignal?: AbortSignal;
  /** Writes load-summary.json and load-junit.xml there, as the k6 script's handleSummary does. */
  readonly outDir?: string;
}

export interface RechargeLoadResult extends WorkloadResult<RechargeRun> {
  readonly plan: ScenarioPlan;
  readonly enforcement: Enforcement;
  readonly audit: RechargeAudit;
  /** Intents by outcome. */
  readonly outcomes: { readonly ok: number; readonly failed: number; readonly unknown: number };
  /** The report files written, absolute. */
  readonly files: readonly string[];
}

/** The scenario a recharge run executes and the thresholds it is judged by (k6's options). */
export function planRechargeLoad(
  options: Pick<RechargeLoadOptions, 'scenario' | 'settings' | 'enforcement'>,
): { readonly plan: ScenarioPlan; readonly thresholds: readonly ThresholdSpec[] } {
  const plan = planScenario(options.scenario, options.settings);
  const enforcement = options.enforcement ?? 'all';
  return {
    plan,
    thresholds: plan.thresholds.map((rule) => ({
      metric: rule.metric,
      expression: rule.expression,
      enforced: isEnforced(rule, enforcement),
    })),
  };
}

/**
 * The recharge scenario on the Node driver: the same setup, iteration, teardown and
 * thresholds as `load/recharge.ts`, ending with the carrier's audit counted into
 * duplicate_charges, lost_topups and audit_violations.
 */
export async function runRechargeLoad(options: RechargeLoadOptions): Promise<RechargeLoadResult> {
  const { plan, thresholds } = planRechargeLoad(options);
  const metrics = new MetricRegistry();
  const recharge = registerRechargeMetrics(metrics);
  const outcomes = { ok: 0, failed: 0, unknown: 0 };
  let audit: RechargeAudit = { status: 'unavailable', reason: 'the run ended before its audit' };
  const faults = options.faults ?? plan.faults;

  const result = await runWorkload<RechargeRun>(
    {
      scenario: plan.name,
      executor: plan.executor,
      thresholds,
      setup: (runtime) =>
        setupRecharge(runtime, {
          baseUrl: options.baseUrl,
          scenario: plan.name,
          ...(faults === undefined ? {} : { faults }),
          ...optional('reuseSeeded', options.reuseSeeded),
          ...optional('faultSeed', options.faultSeed),
          ...optional('subscribers', options.subscribers),
          ...optional('apiKey', options.apiKey),
          ...optional('adminToken', options.adminToken),
          ...optional('retry', options.retry),
        }),
      async iterate(run, { runtime, iterationInTest }) {
        const intent = await rechargeIteration(
          runtime,
          run,
          recharge,
          iterationInTest,
          options.strategy,
        );
        outcomes[intent.outcome.status] += 1;
        options.onIntent?.(intent);
      },
      async teardown(run, runtime) {
        audit = await teardownRecharge(runtime, run, recharge);
        if (audit.status === 'unavailable') throw new Error(describeAudit(audit, run.carrier));
      },
    },
    {
      metrics,
      ...optional('connections', options.connections),
      ...optional('progress', options.progress),
      ...optional('stopSignal', options.stopSignal),
    },
  );

  const files: string[] = [];
  if (options.outDir !== undefined) {
    const suite = `esimlab load ${plan.name} (${result.data.carrier}, ${result.data.apiStyle})`;
    for (const [path, content] of Object.entries(
      summaryFiles(result.summary, options.outDir, suite),
    )) {
      const file = resolve(path);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, content);
      files.push(file);
    }
  }
  return {
    ...result,
    plan,
    enforcement: options.enforcement ?? 'all',
    audit,
    outcomes,
    files,
  };
}

const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
