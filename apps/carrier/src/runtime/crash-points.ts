/**
 * Named places in the payment saga where a carrier can be made to die, to prove that a
 * crash between any two steps is recovered: armed through `/_sim/crash-points` or at start-up.
 */
export const crashPoints = [
  'after-authorize',
  'after-credit',
  'after-capture',
  'before-response',
] as const;
export type CrashPoint = (typeof crashPoints)[number];

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
