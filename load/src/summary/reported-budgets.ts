// Engine-neutral (see flow/load-runtime.ts).
import {
  budgetWatch,
  type Enforcement,
  isEnforced,
  type ThresholdRule,
} from '../scenarios/recharge-thresholds.ts';
import { parseThreshold, thresholdHolds } from '../thresholds/threshold-expression.ts';
import type { MetricSummary, SummaryData, ThresholdResult } from './summary-data.ts';

/**
 * k6's end-of-test data with each rule not enforced judged as the Node driver judges it: its
 * watch (see `k6Thresholds`) replaced by the rule's own expression, evaluated on the values k6
 * reported and marked `enforced: false`. The summary and the JUnit report then show the
 * latency and error budgets of a run with `ENFORCE=correctness` as reported, not enforced.
 */
export function withReportedBudgets(
  data: SummaryData,
  rules: readonly ThresholdRule[],
  enforcement: Enforcement,
): SummaryData {
  const metrics: Record<string, MetricSummary> = { ...data.metrics };
  for (const rule of rules) {
    if (isEnforced(rule, enforcement)) continue;
    const metric = metrics[rule.metric];
    if (metric === undefined) continue;
    const parsed = parseThreshold(rule.expression, metric.type);
    if (!parsed.ok) throw new Error(`${rule.metric}: ${parsed.message}`);
    // k6 gives a metric without samples zero for every statistic, and passes its thresholds.
    const actual = metric.values[parsed.expression.statistic] ?? 0;
    const thresholds: Record<string, ThresholdResult> = { ...metric.thresholds };
    delete thresholds[budgetWatch(rule)];
    thresholds[rule.expression] = {
      ok: thresholdHolds(parsed.expression, actual),
      enforced: false,
    };
    metrics[rule.metric] = { ...metric, thresholds };
  }
  return { ...data, metrics };
}
