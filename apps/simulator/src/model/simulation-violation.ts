import type { ViolationKind } from '@esimlab/domain';

/** What a simulated run can find wrong, beyond the domain audit's own kinds. */
export type SimulationViolationKind =
  | ViolationKind
  /** The carrier shows a balance the model does not allow. */
  | 'balance_mismatch'
  /** A purchase or an operation ended in a way the model rules out (ok for a declined card…). */
  | 'unexpected_outcome'
  /** A webhook event the carrier emitted never reached the receiver. */
  | 'event_not_delivered'
  /** The receiver applied one event more than once. */
  | 'event_applied_twice'
  /** The carrier itself failed: a background task threw, or a restart did not come up. */
  | 'carrier_failure';

export interface SimulationViolation {
  readonly kind: SimulationViolationKind;
  readonly message: string;
  /** The intents it concerns, when it concerns any. */
  readonly intentIds?: readonly string[];
}

/** Thrown by a command when what it saw breaks the model: fast-check shrinks from there. */
export class ModelViolationError extends Error {
  override readonly name = 'ModelViolationError';
  readonly violations: readonly SimulationViolation[];

  constructor(violations: readonly SimulationViolation[]) {
    super(violations.map((v) => `${v.kind}: ${v.message}`).join('\n'));
    this.violations = violations;
  }
}

/** Throws a `ModelViolationError` for one violation. */
export function violated(
  kind: SimulationViolationKind,
  message: string,
  intentIds?: readonly string[],
): never {
  throw new ModelViolationError([
    { kind, message, ...(intentIds === undefined ? {} : { intentIds }) },
  ]);
}
