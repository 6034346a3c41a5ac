import { closestMatch } from '@esimlab/domain';
import type { z } from 'zod';
import { describeExpectedType, describeSchema, objectKeys } from './describe-schema.ts';
import { describeValue } from './field-path.ts';
import type { FileProblem } from './file-problem.ts';

/** One reason a value does not fit the scenario language, with where to point in the file. */
export type SchemaProblem = FileProblem & {
  readonly code: 'unknown_key' | 'missing_key' | 'invalid_value';
};

export type SchemaCheck<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: readonly SchemaProblem[] };

type Issue = z.core.$ZodIssue & { readonly knownKeys?: readonly string[] };

/**
 * Validates `value` and turns zod's issues into problems that say what is wrong and what would
 * be right. `noun` names the value for messages about its keys ("a topup step").
 */
export function checkAgainstSchema<S extends z.ZodType>(
  schema: S,
  value: unknown,
  at: readonly PropertyKey[],
  noun: string,
): SchemaCheck<z.output<S>> {
  const result = schema.safeParse(value, { reportInput: true, error: describeIssue });
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    problems: result.error.issues.flatMap((issue) => problemsOf(issue as Issue, at, noun)),
  };
}

/**
 * zod's messages for the checks a schema gives no message of its own. It also notes on an
 * unknown-keys issue which keys the mapping does accept: zod copies the issue's own fields
 * after asking for the message, and the schema is gone by the time we read the issue.
 */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'unrecognized_keys':
      if (issue.inst) {
        (issue as { knownKeys?: readonly string[] }).knownKeys = objectKeys(
          issue.inst as z.core.$ZodType,
        );
      }
      return undefined;
    case 'invalid_union':
      return issue.inst && issue.errors.length > 0
        ? `expected ${describeSchema(issue.inst as z.core.$ZodType)}`
        : undefined;
    case 'too_small': {
      const bound = Number(issue.minimum);
      if (issue.origin === 'string') {
        return bound === 1
          ? 'expected a non-empty string'
          : `expected at least ${bound} characters`;
      }
      if (issue.origin === 'array' || issue.origin === 'set') {
        return `expected at least ${bound} item${bound === 1 ? '' : 's'}`;
      }
      return issue.inclusive ? `expected at least ${bound}` : `expected more than ${bound}`;
    }
    case 'too_big': {
      const bound = Number(issue.maximum);
      if (issue.origin === 'string') return `expected at most ${bound} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') {
        return `expected at most ${bound} item${bound === 1 ? '' : 's'}`;
      }
      return issue.inclusive ? `expected at most ${bound}` : `expected less than ${bound}`;
    }
    case 'invalid_format':
      if (issue.format === 'datetime') {
        return 'expected an ISO 8601 date and time, e.g. 2026-03-08T10:00:00Z';
      }
      if (issue.format === 'regex' && 'pattern' in issue) {
        return `expected text matching ${String(issue.pattern)}`;
      }
      return `expected a valid ${issue.format}`;
    case 'not_multiple_of':
      return `expected a multiple of ${String(issue.divisor)}`;
    default:
      return undefined;
  }
}

function problemsOf(
  issue: Issue,
  base: readonly PropertyKey[],
  noun: string | undefined,
): SchemaProblem[] {
  const path = [...base, ...issue.path];
  const input = issue.input;
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        code: 'unknown_key',
        field: path,
        locate: { path: [...path, key], at: 'key' },
        detail: unknownKeyDetail(
          key,
          issue.knownKeys ?? [],
          issue.path.length === 0 ? noun : undefined,
        ),
      }));
    case 'invalid_type':
      if (input === undefined && path.length > 0) {
        return [missingKey(path, describeExpectedType(issue.expected))];
      }
      return [
        invalidValue(
          path,
          `expected ${describeExpectedType(issue.expected)}; got ${describeValue(input)}`,
        ),
      ];
    case 'invalid_value':
      if (input === undefined && path.length > 0) {
        return [missingKey(path, oneOf(issue.values))];
      }
      return [invalidValue(path, oneOfDetail(issue.values, input))];
    case 'invalid_union': {
      if (issue.errors.length === 0 && issue.discriminator !== undefined) {
        const chosen = (input as Record<string, unknown> | undefined)?.[issue.discriminator];
        const options = 'options' in issue ? (issue.options ?? []) : [];
        if (chosen === undefined) {
          return [missingKey(path, oneOf(options))];
        }
        return [invalidValue(path, oneOfDetail(options, chosen))];
      }
      const branch = likelyBranch(issue.errors as Issue[][]);
      if (branch) return branch.flatMap((inner) => problemsOf(inner, path, undefined));
      return [invalidValue(path, `${asExpectation(issue.message)}; got ${describeValue(input)}`)];
    }
    case 'invalid_key': {
      const reasons = issue.issues.map((inner) => asExpectation(inner.message)).join('; ');
      return [
        {
          code: 'invalid_value',
          field: path,
          locate: { path, at: 'key' },
          detail: `invalid name ${describeValue(input)}: ${reasons}`,
        },
      ];
    }
    default:
      return [invalidValue(path, `${asExpectation(issue.message)}; got ${describeValue(input)}`)];
  }
}

function invalidValue(path: readonly PropertyKey[], detail: string): SchemaProblem {
  return { code: 'invalid_value', field: path, locate: { path, at: 'value' }, detail };
}

/** A key that is absent, reported on the mapping that lacks it; `expected` describes its value. */
function missingKey(path: readonly PropertyKey[], expected: string): SchemaProblem {
  const parent = path.slice(0, -1);
  return {
    code: 'missing_key',
    field: parent,
    locate: { path: parent, at: 'key' },
    detail: `missing required key "${String(path[path.length - 1])}" (${expected}); add it`,
  };
}

function unknownKeyDetail(key: string, known: readonly string[], noun: string | undefined): string {
  const guess = closestMatch(key, known);
  if (known.length === 0) return `unknown key "${key}"; remove it`;
  const list = known.join(', ');
  if (guess === undefined) {
    return `unknown key "${key}"; remove it, or use one of the keys of ${noun ?? 'this mapping'}: ${list}`;
  }
  return `unknown key "${key}"; did you mean "${guess}"? The keys of ${noun ?? 'this mapping'} are: ${list}`;
}

/** `"clean"`, or `one of att, tmobile, verizon`. */
function oneOf(values: readonly unknown[]): string {
  if (values.length === 1) return JSON.stringify(values[0]);
  return `one of ${values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}`;
}

function oneOfDetail(values: readonly unknown[], input: unknown): string {
  const candidates = values.filter((v): v is string => typeof v === 'string');
  const guess = typeof input === 'string' ? closestMatch(input, candidates) : undefined;
  const hint = guess === undefined ? '' : ` — did you mean "${guess}"?`;
  return `expected ${oneOf(values)}; got ${describeValue(input)}${hint}`;
}

/** Custom schema messages read "a name of …"; make them read like ours: "expected a name of …". */
function asExpectation(message: string): string {
  return /^(a|an|one of|the) /i.test(message) ? `expected ${message}` : message;
}

/**
 * zod reports a failed union with every branch's issues. The branch the user meant is the one
 * whose shape fits (no type mismatch at its root), preferring one without foreign keys, then
 * the one with fewest issues; when that is still ambiguous we describe all branches instead.
 */
function likelyBranch(branches: readonly Issue[][]): Issue[] | undefined {
  const atRoot = (issue: Issue) => issue.path.length === 0;
  const fits = branches.filter(
    (branch) =>
      !branch.some((i) => atRoot(i) && (i.code === 'invalid_type' || i.code === 'invalid_value')),
  );
  if (fits.length <= 1) return fits[0];
  const clean = fits.filter(
    (branch) => !branch.some((i) => atRoot(i) && i.code === 'unrecognized_keys'),
  );
  if (clean.length === 1) return clean[0];
  const pool = clean.length > 0 ? clean : fits;
  const fewest = Math.min(...pool.map((branch) => branch.length));
  const best = pool.filter((branch) => branch.length === fewest);
  return best.length === 1 ? best[0] : undefined;
}
