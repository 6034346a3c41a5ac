// Engine-neutral (see flow/load-runtime.ts).
import type { ExecutorConfig } from './executor-config.ts';
import type { ScenarioPlan } from './load-scenarios.ts';
import { type Enforcement, k6Thresholds } from './recharge-thresholds.ts';

/** The trend statistics both engines report: k6's defaults plus p(99), which budgets use. */
export const summaryTrendStats = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'];

/** The part of k6's `Options` a load scenario sets. */
export interface LoadOptions {
  scenarios: Record<string, ExecutorConfig>;
  thresholds: Record<string, string[]>;
  summaryTrendStats: string[];
  setupTimeout: string;
  teardownTimeout: string;
}

/** k6's `options` for a plan; the Node driver runs the same executor and thresholds. */
export function loadOptions(plan: ScenarioPlan, enforcement: Enforcement): LoadOptions {
  return {
    scenarios: { [plan.name]: { ...plan.executor } },
    thresholds: k6Thresholds(plan.thresholds, enforcement),
    summaryTrendStats: [...summaryTrendStats],
    // Seeding 200 subscribers and auditing a long soak both take a while.
    setupTimeout: '120s',
    teardownTimeout: '120s',
  };
}
