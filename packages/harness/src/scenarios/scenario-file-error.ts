/** Stable codes of the problems a scenario file or a suite of them can have. */
export type ScenarioFileErrorCode =
  /** A path given on the command line does not exist. */
  | 'path_not_found'
  /** A file given explicitly is not a `.yaml`/`.yml` file. */
  | 'not_a_scenario_file'
  /** The file exists but cannot be read. */
  | 'file_unreadable'
  /** The text is not valid YAML (bad indentation, a tab, an unclosed bracket, …). */
  | 'yaml_syntax'
  /** The document, or a step, is not the mapping it must be. */
  | 'not_a_mapping'
  /** A key the scenario language does not know (often a typo). */
  | 'unknown_key'
  /** A required key is absent. */
  | 'missing_key'
  /** A value has the wrong type, range or format. */
  | 'invalid_value'
  /** A step does not have exactly one key naming its kind. */
  | 'invalid_step'
  /** A step's single key is not a step kind. */
  | 'unknown_step_kind'
  /** Two steps give the same name with `as:`. */
  | 'duplicate_name'
  /** A step refers to a name no earlier step defined, or to a name of the wrong kind of thing. */
  | 'undefined_reference'
  /** Two files of a suite use the same scenario `name`. */
  | 'duplicate_scenario_name';

/** Where in a file a problem is: 1-based line and column. */
export interface ScenarioFilePosition {
  readonly line: number;
  readonly column: number;
}

/**
 * One problem with a scenario file, located for an editor or a CI annotation. `message` reads
 * `file:line:column: field: detail`, e.g.
 * `scenarios/att/topup.yaml:14:7: steps[3].topup: unknown key "pln"; did you mean "plan"? …`.
 */
export class ScenarioFileError extends Error {
  override readonly name = 'ScenarioFileError';
  readonly code: ScenarioFileErrorCode;
  readonly file: string;
  /** 1-based; undefined for problems with the file as a whole (it does not exist). */
  readonly line: number | undefined;
  /** 1-based; undefined when `line` is. */
  readonly column: number | undefined;
  /** The field the problem is in, e.g. `steps[3].topup.plan`; undefined for the whole file. */
  readonly field: string | undefined;
  /** What is wrong and how to fix it, without the location prefix. */
  readonly detail: string;

  constructor(init: {
    readonly code: ScenarioFileErrorCode;
    readonly file: string;
    readonly position?: ScenarioFilePosition | undefined;
    readonly field?: string | undefined;
    readonly detail: string;
  }) {
    const where = init.position
      ? `${init.file}:${init.position.line}:${init.position.column}`
      : init.file;
    const field = init.field ? `${init.field}: ` : '';
    super(`${where}: ${field}${init.detail}`);
    this.code = init.code;
    this.file = init.file;
    this.line = init.position?.line;
    this.column = init.position?.column;
    this.field = init.field;
    this.detail = init.detail;
  }
}

/** Thrown when scenario files cannot be used; `errors` holds every problem found, in file order. */
export class ScenarioLoadError extends Error {
  override readonly name = 'ScenarioLoadError';
  readonly code = 'invalid_scenarios';
  readonly errors: readonly ScenarioFileError[];

  constructor(errors: readonly ScenarioFileError[]) {
    const [only] = errors;
    super(
      errors.length === 1 && only
        ? only.message
        : `${errors.length} problems in scenario files:\n${errors.map((e) => `  ${e.message}`).join('\n')}`,
    );
    this.errors = errors;
  }
}

/** Orders problems as an editor lists them: by file, then line, then column. */
export function compareScenarioFileErrors(a: ScenarioFileError, b: ScenarioFileError): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}
