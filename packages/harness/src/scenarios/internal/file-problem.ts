import type { ScenarioFileErrorCode } from '../scenario-file-error.ts';

/** A problem found in a parsed scenario, before it is placed at a line and column. */
export interface FileProblem {
  readonly code: ScenarioFileErrorCode;
  /** The field the message is about: the mapping itself, for unknown and missing keys. */
  readonly field: readonly PropertyKey[];
  /** What to point at: the value at a path, or the key that ends it. */
  readonly locate: { readonly path: readonly PropertyKey[]; readonly at: 'key' | 'value' };
  readonly detail: string;
}
