import { err } from '../../result.ts';
import type {
  CodeAlreadyUsedError,
  ConfirmationCodeInvalidError,
  IllegalTransitionError,
  RecordedAttempt,
  TooManyAttemptsError,
} from '../lifecycle-error.ts';
import type { LifecycleEventType } from '../lifecycle-event.ts';
import { MAX_CONFIRMATION_CODE_ATTEMPTS, MAX_DOWNLOAD_ATTEMPTS, type Profile } from '../profile.ts';
import { lifecycleTransitions, type ProfileState } from '../profile-state.ts';

// Messages name states, events and counts only: never the confirmation code, never an EID.

type Refusal<E> = { readonly ok: false; readonly error: E };

export function illegalTransition(
  from: ProfileState,
  event: LifecycleEventType,
  why?: string,
): Refusal<IllegalTransitionError> {
  const allowed = Object.keys(lifecycleTransitions[from]);
  const options =
    allowed.length === 0
      ? `\`${from}\` is final: no event is accepted`
      : `\`${from}\` accepts ${allowed.map((type) => `\`${type}\``).join(', ')}`;
  const reason = why ?? options;
  return err({
    code: 'illegal_transition',
    from,
    event,
    message: `cannot apply \`${event}\` to a profile in state \`${from}\`: ${reason}`,
  });
}

export type UsedCodeReason = 'bound_to_other_eid' | 'deleted' | 'cancelled';

const usedCodeMessages: { readonly [R in UsedCodeReason]: string } = {
  bound_to_other_eid:
    'this activation code is already bound to another device; activation codes are single-use per EID, so order a new eSIM for this device',
  deleted:
    'the profile for this activation code was deleted from its device and cannot be downloaded again; order a new eSIM',
  cancelled: 'the order for this activation code was cancelled; order a new eSIM',
};

export function codeAlreadyUsed(reason: UsedCodeReason): Refusal<CodeAlreadyUsedError> {
  return err({ code: 'code_already_used', message: usedCodeMessages[reason] });
}

export function confirmationCodeMissing(
  recorded: RecordedAttempt,
): Refusal<ConfirmationCodeInvalidError> {
  return err({
    code: 'confirmation_code_invalid',
    attemptsRemaining: MAX_CONFIRMATION_CODE_ATTEMPTS - recorded.confirmationCodeAttempts,
    recorded,
    message:
      'this activation code requires a confirmation code; send the `confirmationCode` returned when the eSIM was ordered',
  });
}

export function confirmationCodeWrong(
  recorded: RecordedAttempt,
): Refusal<ConfirmationCodeInvalidError> {
  const attemptsRemaining = Math.max(
    0,
    MAX_CONFIRMATION_CODE_ATTEMPTS - recorded.confirmationCodeAttempts,
  );
  const consequence =
    attemptsRemaining === 0
      ? `the activation code is now locked after ${MAX_CONFIRMATION_CODE_ATTEMPTS} wrong codes; order a new eSIM`
      : `${attemptsRemaining} attempt(s) left before the activation code locks; use the \`confirmationCode\` returned when the eSIM was ordered`;
  return err({
    code: 'confirmation_code_invalid',
    attemptsRemaining,
    recorded,
    message: `the confirmation code does not match: ${consequence}`,
  });
}

export function tooManyAttempts(recorded: RecordedAttempt): Refusal<TooManyAttemptsError> {
  const cause =
    recorded.confirmationCodeAttempts >= MAX_CONFIRMATION_CODE_ATTEMPTS
      ? `${MAX_CONFIRMATION_CODE_ATTEMPTS} wrong confirmation codes`
      : `${MAX_DOWNLOAD_ATTEMPTS} download attempts`;
  return err({
    code: 'too_many_attempts',
    recorded,
    message: `this activation code is locked after ${cause}; even the right code is refused now, so order a new eSIM`,
  });
}

/** The non-secret part of a profile that a counted refusal must persist. */
export function recordedAttempt(profile: Profile): RecordedAttempt {
  const { state, downloadAttempts, confirmationCodeAttempts, lockedAt } = profile;
  return lockedAt === undefined
    ? { state, downloadAttempts, confirmationCodeAttempts }
    : { state, downloadAttempts, confirmationCodeAttempts, lockedAt };
}
