/** Where the carrier's payment saga can be made to exit, once. */
export type CrashPoint = 'after-authorize' | 'after-credit' | 'after-capture' | 'before-response';

export interface CrashPoints {
  readonly armed: readonly CrashPoint[];
}
