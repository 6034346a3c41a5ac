/**
 * Named places in the payment saga where a carrier can be made to die, to prove that a
 * crash at any of them is recovered: armed through `/_sim/crash-points` or at start-up. A
 * saga's steps commit together (`payThroughSaga`) unless one of the points between them
 * (`stepCrashPoints`) is armed: then each step commits before the next, so that the crash
 * leaves the state the point names.
 */
export const crashPoints = [
  'after-authorize',
  'after-credit',
  'after-capture',
  'before-response',
] as const;
export type CrashPoint = (typeof crashPoints)[number];

/** The points between a saga's steps: authorized but not fulfilled, fulfilled but not captured. */
export const stepCrashPoints: readonly CrashPoint[] = ['after-authorize', 'after-credit'];

export const isCrashPoint = (value: unknown): value is CrashPoint =>
  typeof value === 'string' && (crashPoints as readonly string[]).includes(value);

/** The points armed in this process; each fires once, then is disarmed. */
export class CrashPointSwitch {
  readonly #armed = new Set<CrashPoint>();

  arm(point: CrashPoint): void {
    this.#armed.add(point);
  }

  disarmAll(): void {
    this.#armed.clear();
  }

  armed(): CrashPoint[] {
    return crashPoints.filter((p) => this.#armed.has(p));
  }

  /** Whether `point` is armed, leaving it so. */
  isArmed(point: CrashPoint): boolean {
    return this.#armed.has(point);
  }

  /** Whether `point` is armed; if so it is disarmed, since it fires once. */
  take(point: CrashPoint): boolean {
    return this.#armed.delete(point);
  }
}
