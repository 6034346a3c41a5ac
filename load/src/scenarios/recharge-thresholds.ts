// Engine-neutral (see flow/load-runtime.ts).
import type { ApiStyle } from '../flow/api-style.ts';
import { rechargeMetricNames } from '../flow/recharge-metrics.ts';
import { statisticOf } from '../thresholds/threshold-expression.ts';
import type { LoadScenarioName } from './load-scenarios.ts';

/**
 * `correctness` thresholds guard money (a duplicate charge, a lost top-up, any audit
 * violation): they fail every run. `budget` thresholds guard latency and errors: k6 runs and
 * `esimlab load` enforce them; CI reports them without failing, because a shared CI machine's
 * speed says little about the carrier's.
 */
export type ThresholdKind = 'correctness' | 'budget';

/** Which thresholds fail the run: all of them, or only the correctness ones (CI). */
export type Enforcement = 'all' | 'correctness';

export interface ThresholdRule {
  /** A metric, optionally narrowed by tags: `recharge_duration{api_style:async}`. */
  readonly metric: string;
  /** k6's syntax, e.g. `p(99)<1500`. */
  readonly expression: string;
  readonly kind: ThresholdKind;
}

/** p(99) of one intent's duration, per API style, in ms. */
const rechargeBudgetsMs: Readonly<Record<LoadScenarioName, Readonly<Record<ApiStyle, number>>>> = {
  steady: { idempotent: 1000, reference: 1000, async: 4000 },
  soak: { idempotent: 1000, reference: 1000, async: 4000 },
  spike: { idempotent: 2000, reference: 2000, async: 5000 },
  // Faults add latency (median 80 ms), 503s with Retry-After: 1, and in the reference style
  // a settle wait of about 5.5 s before each lookup.
  flaky: { idempotent: 6000, reference: 12_000, async: 8000 },
};

/** flaky-mobile fails about 7 % of requests on purpose (resets and 503s). */
const failedRequestBudget: Readonly<Record<LoadScenarioName, number>> = {
  steady: 0.01,
  soak: 0.01,
  spike: 0.01,
  flaky: 0.15,
};

/** The thresholds of a recharge scenario. */
export function rechargeThresholds(scenario: LoadScenarioName): ThresholdRule[] {
  const m = rechargeMetricNames;
  return [
    { metric: m.duplicateCharges, expression: 'count==0', kind: 'correctness' },
    { metric: m.lostTopups, expression: 'count==0', kind: 'correctness' },
    { metric: m.auditViolations, expression: 'count==0', kind: 'correctness' },
    { metric: m.topupUnknown, expression: 'rate<0.01', kind: 'budget' },
    {
      metric: 'http_req_failed',
      expression: `rate<${failedRequestBudget[scenario]}`,
      kind: 'budget',
    },
    ...(Object.entries(rechargeBudgetsMs[scenario]) as [ApiStyle, number][]).map(
      ([style, budgetMs]): ThresholdRule => ({
        metric: `${m.rechargeDuration}{api_style:${style}}`,
        expression: `p(99)<${budgetMs}`,
        kind: 'budget',
      }),
    ),
  ];
}

/** Whether a rule fails the run under `enforcement`. */
export const isEnforced = (rule: ThresholdRule, enforcement: Enforcement): boolean =>
  enforcement === 'all' || rule.kind === 'correctness';

/**
 * The rules as k6's `options.thresholds`, by metric. k6 has no threshold that reports without
 * failing the run, so a rule not enforced stands there as its watch (`budgetWatch`): it keeps
 * the metric and the statistic in k6's end-of-test data, where `withReportedBudgets` judges
 * the rule itself and marks it as not enforced.
 */
export function k6Thresholds(
  rules: readonly ThresholdRule[],
  enforcement: Enforcement,
): Record<string, string[]> {
  const thresholds: Record<string, string[]> = {};
  for (const rule of rules) {
    const expression = isEnforced(rule, enforcement) ? rule.expression : budgetWatch(rule);
    thresholds[rule.metric] = [...(thresholds[rule.metric] ?? []), expression];
  }
  return thresholds;
}

/**
 * The threshold standing in k6 for a rule that is reported, not enforced: the rule's statistic
 * `>= 0`, which always holds (durations, rates and counts are never negative).
 */
export function budgetWatch(rule: ThresholdRule): string {
  const statistic = statisticOf(rule.expression);
  if (statistic === undefined) throw new Error(`threshold "${rule.expression}" names no statistic`);
  return `${statistic}>=0`;
}
