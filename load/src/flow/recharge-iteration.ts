import type { LoadRuntime } from './load-runtime.ts';
import { purchaseSession } from './purchase-session.ts';
import { purchaseStrategies } from './purchase-strategies.ts';
import type { PurchaseOutcome, PurchaseStrategy } from './purchase-strategy.ts';
import type { RechargeMetrics } from './recharge-metrics.ts';
import type { RechargeRun } from './recharge-run.ts';

export interface RechargeResult {
  readonly intentKey: string;
  readonly iccid: string;
  readonly outcome: PurchaseOutcome;
  readonly durationMs: number;
  /** Purchase requests after the first. */
  readonly retries: number;
}

/**
 * What one iteration does, in k6 and in the Node driver: buy one top-up as one intent, keyed
 * from the run id, the scenario and the iteration's number (k6's
 * `exec.scenario.iterationInTest`), so no two intents of any run share a key; retried the
 * way the carrier's API style makes safe; then record its duration, retries and outcome.
 * Iteration n starts on replica n mod N of `run.baseUrls`.
 */
export async function rechargeIteration(
  runtime: LoadRuntime,
  run: RechargeRun,
  metrics: RechargeMetrics,
  iterationInTest: number,
  strategy: PurchaseStrategy = purchaseStrategies[run.apiStyle],
): Promise<RechargeResult> {
  const intentKey = intentKeyOf(run, iterationInTest);
  const iccid = run.iccids[iterationInTest % run.iccids.length];
  if (iccid === undefined) throw new Error('the run has no subscribers; setup seeds them');
  // Round-robin per iteration, as a load balancer spreads kept-alive connections.
  const session = purchaseSession(runtime, run, iccid, intentKey, iterationInTest);
  const started = runtime.now();
  const outcome = await strategy.purchase(session);
  const durationMs = runtime.now() - started;
  const retries = Math.max(0, session.purchaseRequests - 1);

  const style = { api_style: run.apiStyle };
  metrics.rechargeDuration.add(durationMs, { ...style, outcome: outcome.status });
  metrics.topupUnknown.add(outcome.status === 'unknown', style);
  metrics.topupRetries.add(retries, style);
  return { intentKey, iccid, outcome, durationMs, retries };
}

/** The intent's key: unique per run, scenario and iteration. */
export const intentKeyOf = (run: Pick<RechargeRun, 'runId' | 'scenario'>, iteration: number) =>
  `${run.runId}-${run.scenario}-${iteration}`;
