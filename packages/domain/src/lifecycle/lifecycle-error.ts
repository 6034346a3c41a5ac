import type { LifecycleEventType } from './lifecycle-event.ts';
import type { Profile } from './profile.ts';
import type { ProfileState } from './profile-state.ts';

/**
 * What the SM-DP+ recorded about a refused attempt that still counts (a wrong confirmation code,
 * a lock). It carries no secret; merge it into the stored profile with `profileAfter`.
 */
export type RecordedAttempt = Pick<
  Profile,
  'state' | 'downloadAttempts' | 'confirmationCodeAttempts' | 'lockedAt'
>;

/** The event is not allowed in the profile's current state (or its guard refused it). */
export interface IllegalTransitionError {
  readonly code: 'illegal_transition';
  readonly from: ProfileState;
  readonly event: LifecycleEventType;
  readonly message: string;
}

/** The activation code is bound to another eUICC, or its profile was deleted or cancelled. */
export interface CodeAlreadyUsedError {
  readonly code: 'code_already_used';
  readonly message: string;
}

/** The confirmation code was missing or wrong; a wrong one counts toward the lock. */
export interface ConfirmationCodeInvalidError {
  readonly code: 'confirmation_code_invalid';
  readonly attemptsRemaining: number;
  readonly recorded: RecordedAttempt;
  readonly message: string;
}

/** The activation code is locked: too many wrong confirmation codes or download attempts. */
export interface TooManyAttemptsError {
  readonly code: 'too_many_attempts';
  readonly recorded: RecordedAttempt;
  readonly message: string;
}

/** Why a lifecycle event was refused, with a stable snake_case `code` for the HTTP edge. */
export type LifecycleError =
  | IllegalTransitionError
  | CodeAlreadyUsedError
  | ConfirmationCodeInvalidError
  | TooManyAttemptsError;

export type LifecycleErrorCode = LifecycleError['code'];
