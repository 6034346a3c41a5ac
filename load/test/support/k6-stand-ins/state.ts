// What the k6 stand-ins record, kept on globalThis: a test reloads the k6 script with
// vi.resetModules(), which would otherwise give the script fresh copies of these modules.

export interface K6StandInState {
  /** Every value the script added to a metric. */
  added: { metric: string; value: number | boolean; tags?: Record<string, string> }[];
  /** The messages of `exec.test.fail`. */
  failures: string[];
  /** What `exec.scenario.iterationInTest` answers. */
  iterationInTest: number;
}

const key = Symbol.for('esimlab.k6-stand-in-state');

export function k6StandInState(): K6StandInState {
  const global = globalThis as { [key]?: K6StandInState };
  global[key] ??= { added: [], failures: [], iterationInTest: 0 };
  return global[key];
}
