import type { FaultPlan } from '@esimlab/faults';

/** `GET /_sim/faults`: the seed and the rules in order, with their counters. */
export function faultPlanView(plan: FaultPlan) {
  return { seed: plan.seed, rules: plan.list() };
}
