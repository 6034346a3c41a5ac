import { readFile } from 'node:fs/promises';
import { closestMatch, err, ok, type Result } from '@esimlab/domain';
import { type Document, LineCounter, parseDocument, type YAMLError } from 'yaml';
import { z } from 'zod';
import { objectKeys } from './internal/describe-schema.ts';
import { describeValue, formatFieldPath } from './internal/field-path.ts';
import type { FileProblem } from './internal/file-problem.ts';
import { checkAgainstSchema } from './internal/schema-problems.ts';
import { checkStepNames, type WrittenStep } from './internal/step-names.ts';
import { YamlPositions } from './internal/yaml-positions.ts';
import {
  compareScenarioFileErrors,
  ScenarioFileError,
  ScenarioLoadError,
} from './scenario-file-error.ts';
import {
  type Scenario,
  type StepKind,
  scenarioSchema,
  stepBodySchemas,
  stepKinds,
} from './scenario-schema.ts';

/** A validated scenario and where its parts were written, so reports can point into the file. */
export interface LoadedScenario {
  /** The path the scenario was read from, as given. */
  readonly file: string;
  /** The scenario with defaults applied. */
  readonly scenario: Scenario;
  /** The 1-based line of each step, in step order. */
  readonly stepLines: readonly number[];
  /** The 1-based line of `name:`, to point at when two files share a name. */
  readonly nameLine: number;
}

/**
 * Reads and validates one scenario file.
 * @throws ScenarioLoadError with every problem in the file (or `file_unreadable`).
 */
export async function loadScenarioFile(file: string): Promise<LoadedScenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    const reason =
      (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(cause);
    throw new ScenarioLoadError([
      new ScenarioFileError({
        code: 'file_unreadable',
        file,
        detail: `cannot read the scenario file (${reason}); check the path`,
      }),
    ]);
  }
  const parsed = parseScenario(text, file);
  if (!parsed.ok) throw new ScenarioLoadError(parsed.error);
  return parsed.value;
}

/**
 * Parses and validates the text of a scenario file. Every problem is reported, sorted by line,
 * each with the field it is in and a message that says what would be right. `file` is only
 * used in messages.
 */
export function parseScenario(
  text: string,
  file: string,
): Result<LoadedScenario, readonly ScenarioFileError[]> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const positions = new YamlPositions(doc, lineCounter);
  if (doc.errors.length > 0) {
    return err(doc.errors.map((e) => yamlSyntaxError(e, file, positions)));
  }

  const placed = (problems: readonly FileProblem[]) =>
    err(problems.map((p) => locate(p, file, positions)).sort(compareScenarioFileErrors));
  const value = toPlainValue(doc);
  if (!value.ok) return placed([value.error]);
  const problems = findProblems(value.value, positions);
  if (problems.length > 0) return placed(problems);
  // Everything above passed, so this only fails if the schema grew a rule we do not pre-check.
  const checked = checkAgainstSchema(scenarioSchema, value.value, [], 'a scenario');
  if (!checked.ok) return placed(checked.problems);
  const scenario = checked.value;
  return ok({
    file,
    scenario,
    stepLines: scenario.steps.map((_, index) => positions.valueAt(['steps', index]).line),
    nameLine: positions.valueAt(['name']).line,
  });
}

/** The top level, with steps left to be checked one by one (a union would only say "invalid"). */
const scenarioFieldsSchema = scenarioSchema.extend({ steps: z.array(z.unknown()).min(1) });

const stepKindList = stepKinds.join(', ');

function findProblems(value: unknown, positions: YamlPositions): FileProblem[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [
      {
        code: 'not_a_mapping',
        field: [],
        locate: { path: [], at: 'value' },
        detail: `a scenario file is a mapping with name, carrier, steps and checker; got ${describeValue(value)}`,
      },
    ];
  }
  const problems: FileProblem[] = [];
  const top = checkAgainstSchema(scenarioFieldsSchema, value, [], 'a scenario');
  if (!top.ok) problems.push(...top.problems);

  const steps = (value as { steps?: unknown }).steps;
  if (!Array.isArray(steps)) return problems;
  const written: WrittenStep[] = [];
  steps.forEach((step: unknown, index) => {
    const checked = checkStep(step, index);
    if (checked.step) written.push(checked.step);
    problems.push(...checked.problems);
  });
  // A field that is already wrong (`esim: Bob`) need not also be reported as undefined.
  const spot = (p: FileProblem) => `${formatFieldPath(p.locate.path)} ${p.locate.at}`;
  const reported = new Set(problems.map(spot));
  problems.push(
    ...checkStepNames(written, (index) => positions.valueAt(['steps', index]).line).filter(
      (p) => !reported.has(spot(p)),
    ),
  );
  return problems;
}

/** Checks one step against its kind's schema; `step` is set when it has a known kind. */
function checkStep(
  step: unknown,
  index: number,
): { step?: WrittenStep; problems: readonly FileProblem[] } {
  const path = ['steps', index];
  const stepProblem = (
    detail: string,
    code: FileProblem['code'] = 'invalid_step',
    locatePath: PropertyKey[] = path,
    at: 'key' | 'value' = 'value',
  ) => ({ problems: [{ code, field: path, locate: { path: locatePath, at }, detail }] });
  if (step === null || typeof step !== 'object' || Array.isArray(step)) {
    return stepProblem(
      `a step is a mapping with exactly one key naming its kind (${stepKindList}); got ${describeValue(step)}`,
      'not_a_mapping',
    );
  }
  const keys = Object.keys(step);
  const [only] = keys;
  if (keys.length !== 1 || only === undefined) return stepProblem(manyKeysDetail(keys));
  if (!isStepKind(only)) {
    const guess = closestMatch(only, stepKinds);
    const fix = guess === undefined ? '' : ` — did you mean "${guess}"?`;
    return stepProblem(
      `a step has exactly one key naming its kind (${stepKindList}); got "${only}"${fix}`,
      'unknown_step_kind',
      [...path, only],
      'key',
    );
  }
  const body = (step as Record<string, unknown>)[only];
  const checked = checkAgainstSchema(
    stepBodySchemas[only],
    body,
    [...path, only],
    `${article(only)} ${only} step`,
  );
  return { step: { index, kind: only, body }, problems: checked.ok ? [] : checked.problems };
}

function manyKeysDetail(keys: readonly string[]): string {
  const rule = `a step has exactly one key naming its kind (${stepKindList})`;
  if (keys.length === 0) return `${rule}; got an empty mapping`;
  const listed = keys.map((k) => `"${k}"`).join(', ');
  // `- topup:` followed by `plan:` at the same indentation is the usual slip: the other keys
  // belong to one of the kinds (some, like esim, are both a kind and a field).
  const owner = keys.filter(isStepKind).find((kind) => {
    const fields = objectKeys(stepBodySchemas[kind]);
    return keys.every((k) => k === kind || fields.includes(k));
  });
  if (owner !== undefined) {
    return `${rule}; got ${listed} — indent ${keys.filter((k) => k !== owner).join(', ')} under ${owner}:`;
  }
  const kinds = keys.filter(isStepKind);
  if (kinds.length > 1) {
    return `${rule}; got ${listed} — give each kind its own list item (- ${kinds.join(': …, - ')}: …)`;
  }
  return `${rule}; got ${listed}`;
}

function isStepKind(key: string): key is StepKind {
  return (stepKinds as readonly string[]).includes(key);
}

function article(kind: StepKind): string {
  return /^(a|e|i|o|upd)/.test(kind) ? 'an' : 'a';
}

function toPlainValue(doc: Document): Result<unknown, FileProblem> {
  try {
    return ok(doc.toJS({ maxAliasCount: 1000 }));
  } catch (cause) {
    return err({
      code: 'yaml_syntax',
      field: [],
      locate: { path: [], at: 'value' },
      detail: `invalid YAML: ${(cause as Error).message}`,
    });
  }
}

function locate(problem: FileProblem, file: string, positions: YamlPositions): ScenarioFileError {
  const { path, at } = problem.locate;
  return new ScenarioFileError({
    code: problem.code,
    file,
    position: at === 'key' ? positions.keyAt(path) : positions.valueAt(path),
    field: formatFieldPath(problem.field) || undefined,
    detail: problem.detail,
  });
}

const yamlHints: Partial<Record<YAMLError['code'], string>> = {
  TAB_AS_INDENT: 'indent with spaces; YAML does not allow tabs',
  BAD_INDENT: 'line this up with the keys of the mapping or list it belongs to',
  DUPLICATE_KEY: 'this key appears twice in the same mapping; keep one',
  MULTIPLE_DOCS: 'a scenario file holds one scenario; remove the `---` or split the file',
  MISSING_CHAR: 'look for a missing `:`, `-`, quote or closing bracket',
  UNEXPECTED_TOKEN: 'look for a missing `:`, quote or closing bracket',
  BLOCK_AS_IMPLICIT_KEY: 'look for a missing `:` at the end of the line above',
  MULTILINE_IMPLICIT_KEY: 'a key must fit on one line; look for a missing `:` or quote',
  BAD_SCALAR_START: 'quote values that start with a special character such as `@` or `` ` ``',
};

function yamlSyntaxError(
  error: YAMLError,
  file: string,
  positions: YamlPositions,
): ScenarioFileError {
  const hint = yamlHints[error.code];
  return new ScenarioFileError({
    code: 'yaml_syntax',
    file,
    position: positions.positionOf(error.pos[0]),
    detail: `invalid YAML: ${error.message}${hint ? ` — ${hint}` : ''}`,
  });
}
