import { err, ok, type Result } from '@esimlab/domain';
import type { FaultRule } from './fault-rule.ts';
import { type FaultRuleError, parseFaultRules } from './parse-fault-rules.ts';

/** A rule list with an optional seed, as a file or a start-up option gives it. */
export interface FaultPlanInput {
  readonly rules: FaultRule[];
  readonly seed?: number;
}

const MAX_SEED = 2 ** 32 - 1;

/**
 * Reads a fault plan written as a bare array of rules or as `{rules, seed?}` (the body of
 * `POST /_sim/faults`), e.g. a JSON file given to `--faults`.
 */
export function parseFaultPlanInput(input: unknown): Result<FaultPlanInput, FaultRuleError[]> {
  if (Array.isArray(input)) {
    const rules = parseFaultRules(input);
    return rules.ok ? ok({ rules: rules.value }) : rules;
  }
  if (typeof input !== 'object' || input === null || !('rules' in input)) {
    return err([
      { field: '(root)', message: 'expected an array of fault rules or an object {rules, seed?}' },
    ]);
  }
  const { rules, seed, ...rest } = input as { rules: unknown; seed?: unknown };
  const errors: FaultRuleError[] = Object.keys(rest).map((key) => ({
    field: key,
    message: `unknown key; a fault plan has only rules and seed`,
  }));
  if (
    seed !== undefined &&
    !(Number.isInteger(seed) && (seed as number) >= 0 && (seed as number) <= MAX_SEED)
  ) {
    errors.push({ field: 'seed', message: `the seed is an integer from 0 to ${MAX_SEED}` });
  }
  const parsed = parseFaultRules(rules);
  if (!parsed.ok) errors.push(...parsed.error);
  if (errors.length > 0 || !parsed.ok) return err(errors);
  return ok({ rules: parsed.value, ...(seed === undefined ? {} : { seed: seed as number }) });
}
