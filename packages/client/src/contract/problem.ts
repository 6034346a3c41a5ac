/** One field-level failure inside a 400 `invalid_request`. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * RFC 9457 problem details, as every carrier error is sent, with the stable snake_case
 * `code` to branch on (never on `title` or `detail`, which are for people).
 */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly instance?: string;
  readonly requestId?: string;
  readonly errors?: readonly FieldProblem[];
}
