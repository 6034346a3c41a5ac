import { err, ok, type Result } from '@esimlab/domain';
import type { z } from 'zod';
import { type FaultRule, faultRuleSchema } from './fault-rule.ts';

/** One reason a rule was refused, at a path such as `rules[2].params.status`. */
export interface FaultRuleError {
  readonly field: string;
  readonly message: string;
}

export interface ParseFaultRulesOptions {
  /** Where the list sits, for error paths; default `rules`. */
  readonly field?: string;
  /** Ids already in use (rules kept beside the new ones): a new rule may not reuse them. */
  readonly takenIds?: Iterable<string>;
}

/**
 * Validates a list of rules as a user wrote it: each against its kind's params, ids unique
 * (also against `takenIds`), and a missing id filled with the first free `f1`, `f2`, ….
 * Every problem is reported, not just the first, each naming its field.
 */
export function parseFaultRules(
  input: unknown,
  options: ParseFaultRulesOptions = {},
): Result<FaultRule[], FaultRuleError[]> {
  const field = options.field ?? 'rules';
  if (!Array.isArray(input)) {
    return err([{ field, message: 'expected an array of fault rules' }]);
  }
  const taken = new Set(options.takenIds ?? []);
  const errors: FaultRuleError[] = [];
  const parsed: (Omit<FaultRule, 'id'> & { id?: string })[] = [];
  input.forEach((candidate, index) => {
    const at = `${field}[${index}]`;
    const result = faultRuleSchema.safeParse(candidate);
    if (!result.success) {
      errors.push(...issuesToErrors(result.error.issues, at));
      return;
    }
    const rule = result.data as Omit<FaultRule, 'id'> & { id?: string };
    if (rule.id !== undefined) {
      if (taken.has(rule.id)) {
        errors.push({
          field: `${at}.id`,
          message: `id \`${rule.id}\` is already used by another rule; ids are unique`,
        });
        return;
      }
      taken.add(rule.id);
    }
    parsed.push(rule);
  });
  if (errors.length > 0) return err(errors);

  let next = 1;
  const freeId = (): string => {
    while (taken.has(`f${next}`)) next++;
    const id = `f${next}`;
    taken.add(id);
    return id;
  };
  return ok(parsed.map((rule) => ({ ...rule, id: rule.id ?? freeId() }) as FaultRule));
}

/** Validates one rule (`PATCH /_sim/faults`); errors are named from `field` (default `rule`). */
export function parseFaultRule(
  input: unknown,
  options: ParseFaultRulesOptions = {},
): Result<FaultRule, FaultRuleError[]> {
  const field = options.field ?? 'rule';
  const result = parseFaultRules([input], { ...options, field });
  if (!result.ok) {
    return err(result.error.map((e) => ({ ...e, field: e.field.replace(`${field}[0]`, field) })));
  }
  const [rule] = result.value;
  if (!rule) throw new Error('parseFaultRules dropped the only rule');
  return ok(rule);
}

function issuesToErrors(issues: readonly z.core.$ZodIssue[], at: string): FaultRuleError[] {
  return issues.flatMap((issue) => {
    const path = [at, ...issue.path.map(String)].join('.');
    // A failed union (latency's three shapes) says only "invalid"; when exactly one shape has
    // no foreign keys, that is the one the user meant: report its own errors instead.
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const meant = issue.errors.filter((branch) =>
        branch.every((inner) => inner.code !== 'unrecognized_keys'),
      );
      const [only] = meant;
      if (meant.length === 1 && only) return issuesToErrors(only, path);
    }
    return [{ field: path, message: issue.message }];
  });
}
