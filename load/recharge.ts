// The recharge path under load, for k6 (1.x and later run TypeScript as it is):
//   k6 run load/recharge.ts -e BASE_URL=http://127.0.0.1:4101 -e SCENARIO=steady
// What an iteration does, the options and the thresholds come from ./src, which the Node
// driver (`esimlab load`) runs too. See load/README.md for every variable.
import exec from 'k6/execution';
import { Counter, Rate, Trend } from 'k6/metrics';
import type { Options } from 'k6/options';
import { k6Runtime } from './k6/internal/k6-runtime.ts';
import { describeAudit } from './src/flow/recharge-audit.ts';
import { rechargeIteration } from './src/flow/recharge-iteration.ts';
import { rechargeMetricNames as names, type RechargeMetrics } from './src/flow/recharge-metrics.ts';
import type { RechargeRun } from './src/flow/recharge-run.ts';
import { setupRecharge } from './src/flow/recharge-setup.ts';
import { teardownRecharge } from './src/flow/recharge-teardown.ts';
import { loadSettingsFromEnv } from './src/scenarios/load-env.ts';
import { withReportedBudgets } from './src/summary/reported-budgets.ts';
import type { SummaryData } from './src/summary/summary-data.ts';
import { summaryFiles } from './src/summary/summary-files.ts';
import { textSummary } from './src/summary/text-summary.ts';

const settings = loadSettingsFromEnv(__ENV);

export const options: Options = settings.options;

const metrics: RechargeMetrics = {
  duplicateCharges: new Counter(names.duplicateCharges),
  lostTopups: new Counter(names.lostTopups),
  auditViolations: new Counter(names.auditViolations),
  topupUnknown: new Rate(names.topupUnknown),
  rechargeDuration: new Trend(names.rechargeDuration, true),
  topupRetries: new Counter(names.topupRetries),
};
const runtime = k6Runtime();

/** Seeds subscribers (resetting the carrier), arms the scenario's faults, makes the run id. */
export async function setup(): Promise<RechargeRun> {
  return setupRecharge(runtime, settings.setup);
}

/** One intent: one top-up, retried as the carrier's API style makes safe. */
export default async function (run: RechargeRun): Promise<void> {
  await rechargeIteration(runtime, run, metrics, exec.scenario.iterationInTest);
}

/** The carrier's audit: its violations count into the thresholds, and fail the test. */
export async function teardown(run: RechargeRun): Promise<void> {
  const audit = await teardownRecharge(runtime, run, metrics);
  if (audit.status !== 'audited' || !audit.ok) exec.test.fail(describeAudit(audit, run.carrier));
}

/** k6's summary and the report files; budgets not enforced (`ENFORCE=correctness`) are reported. */
export function handleSummary(data: SummaryData): Record<string, string> {
  const suite = `k6 recharge ${settings.plan.name}`;
  const judged = withReportedBudgets(data, settings.plan.thresholds, settings.enforcement);
  return {
    stdout: textSummary(judged, { title: `${suite}: ${settings.plan.description}` }),
    ...summaryFiles(judged, settings.outDir, suite),
  };
}
