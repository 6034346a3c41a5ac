// Engine-neutral (see flow/load-runtime.ts).
import { AUDIT_TIMEOUT_MS } from '../flow/recharge-audit.ts';
import { FAULTS_RESET_TIMEOUT_MS } from '../flow/recharge-teardown.ts';
import type { ExecutorConfig } from './executor-config.ts';
import type { ScenarioPlan } from './load-scenarios.ts';
import { type Enforcement, k6Thresholds } from './recharge-thresholds.ts';

/**
 * The trend statistics both engines report: k6's defaults, p(99), which budgets use, and
 * `count`, so a trend without samples reads as such rather than as zeros.
 */
export const summaryTrendStats = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'];

/** The part of k6's `Options` a load scenario sets. */
export interface LoadOptions {
  scenarios: Record<string, ExecutorConfig>;
  thresholds: Record<string, string[]>;
  summaryTrendStats: string[];
  setupTimeout: string;
  teardownTimeout: string;
}

/**
 * k6's `options` for a plan against `replicas` URLs of one carrier; the Node driver runs the
 * same executor and thresholds.
 */
export function loadOptions(
  plan: ScenarioPlan,
  enforcement: Enforcement,
  replicas = 1,
): LoadOptions {
  // Teardown asks the replicas in turn until one answers, each within the audit's and the
  // fault reset's timeouts: k6 must not cut it short (exit 101, the audit never counted).
  const teardownMs = replicas * (AUDIT_TIMEOUT_MS + FAULTS_RESET_TIMEOUT_MS) + 30_000;
  return {
    scenarios: { [plan.name]: { ...plan.executor } },
    thresholds: k6Thresholds(plan.thresholds, enforcement),
    summaryTrendStats: [...summaryTrendStats],
    // Seeding 200 subscribers and auditing a long soak both take a while.
    setupTimeout: '120s',
    teardownTimeout: `${Math.ceil(teardownMs / 1000)}s`,
  };
}
