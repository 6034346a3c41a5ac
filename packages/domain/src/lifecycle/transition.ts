import { ok, type Result } from '../result.ts';
import { attemptDownload } from './internal/download-attempt.ts';
import { illegalTransition } from './internal/refusals.ts';
import type { LifecycleError } from './lifecycle-error.ts';
import type { LifecycleEvent } from './lifecycle-event.ts';
import type { Profile } from './profile.ts';
import { canTransition } from './profile-state.ts';

/**
 * Applies one lifecycle event to a profile, along the edges of `lifecycleTransitions`. Never
 * mutates its input. A refusal that still counts (a wrong confirmation code, a lock) carries
 * what to persist in `recorded`; use `profileAfter` to get the record to store either way.
 */
export function transition(
  profile: Profile,
  event: LifecycleEvent,
): Result<Profile, LifecycleError> {
  // Download attempts come from devices and are refused in the LPA's terms, not as illegal edges.
  if (event.type === 'downloadAttempt') return attemptDownload(profile, event);
  if (!canTransition(profile.state, event.type)) {
    return illegalTransition(profile.state, event.type);
  }
  switch (event.type) {
    case 'allocate':
      return ok({ ...profile, state: 'allocated' });
    case 'link':
      return ok({ ...profile, state: 'linked', eid: event.eid });
    case 'confirm':
      return ok(
        event.confirmationCode === undefined
          ? { ...profile, state: 'confirmed' }
          : { ...profile, state: 'confirmed', confirmationCode: event.confirmationCode },
      );
    case 'release':
      return ok({ ...profile, state: 'released' });
    case 'downloaded':
      // The package is bound to the eUICC that was authenticated: no accepted attempt, no package.
      if (profile.downloadAuthorizedAt === undefined) {
        return illegalTransition(
          profile.state,
          event.type,
          'no download attempt has been accepted; the LPA must authenticate with `downloadAttempt` first',
        );
      }
      return ok({ ...profile, state: 'downloaded' });
    case 'installed':
      return ok({ ...profile, state: 'installed' });
    case 'enable':
      return ok({
        ...profile,
        state: 'enabled',
        firstEnabledAt: profile.firstEnabledAt ?? event.at,
      });
    case 'disable':
      return ok({ ...profile, state: 'disabled' });
    case 'delete':
      return ok({ ...profile, state: 'deleted' });
    case 'cancel':
      return ok({ ...profile, state: 'unavailable' });
    case 'downloadFailed': {
      const { downloadAuthorizedAt, ...rest } = profile;
      if (downloadAuthorizedAt === undefined) {
        return illegalTransition(
          profile.state,
          event.type,
          'no download session is open; a session opens when a `downloadAttempt` is accepted',
        );
      }
      return ok({ ...rest, state: 'released' });
    }
  }
}

/**
 * The profile record to store after `transition` or `downloadAndInstall`: the new profile on
 * success, the counted attempt merged in on a counted refusal, the unchanged profile otherwise.
 */
export function profileAfter(before: Profile, result: Result<Profile, LifecycleError>): Profile {
  if (result.ok) return result.value;
  const { error } = result;
  if (error.code === 'confirmation_code_invalid' || error.code === 'too_many_attempts') {
    return { ...before, ...error.recorded };
  }
  return before;
}
