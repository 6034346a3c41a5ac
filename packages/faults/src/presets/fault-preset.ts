import type { FaultRule } from '../rules/fault-rule.ts';

/** A named, documented rule list for a common real-world condition (`POST /_sim/faults/presets/{name}`). */
export interface FaultPreset {
  readonly name: string;
  /** One line for the API reference and `--help`. */
  readonly description: string;
  readonly rules: readonly FaultRule[];
}
