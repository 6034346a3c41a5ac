import { ok, type Result } from '../../result.ts';
import type { EpochMillis } from '../../time/instant.ts';
import type { LifecycleError } from '../lifecycle-error.ts';
import type { DownloadAttempt } from '../lifecycle-event.ts';
import { MAX_CONFIRMATION_CODE_ATTEMPTS, MAX_DOWNLOAD_ATTEMPTS, type Profile } from '../profile.ts';
import {
  codeAlreadyUsed,
  confirmationCodeMissing,
  confirmationCodeWrong,
  illegalTransition,
  recordedAttempt,
  tooManyAttempts,
} from './refusals.ts';

/**
 * The SM-DP+'s answer to an LPA asking for a profile: checks, in order, that the activation
 * code is still usable, bound to this EID, not locked, and that the confirmation code matches.
 */
export function attemptDownload(
  profile: Profile,
  attempt: DownloadAttempt,
): Result<Profile, LifecycleError> {
  switch (profile.state) {
    case 'deleted':
      return codeAlreadyUsed('deleted');
    case 'unavailable':
      return codeAlreadyUsed('cancelled');
    case 'available':
    case 'allocated':
    case 'linked':
    case 'confirmed':
      // SGP.22 ES9+.AuthenticateClient refuses a matching ID whose profile is not released.
      return illegalTransition(
        profile.state,
        'downloadAttempt',
        'the order is not released for download yet; release it (ES2+.ReleaseProfile) first',
      );
    default:
      break;
  }
  if (profile.eid !== undefined && profile.eid !== attempt.eid) {
    return codeAlreadyUsed('bound_to_other_eid');
  }
  if (profile.state === 'error') return tooManyAttempts(recordedAttempt(profile));
  // The bound device asking again after delivery lost our response (flaky network): answer with
  // the current state. Its eUICC already holds the profile, so there is nothing to re-check.
  if (profile.state !== 'released') return ok(profile);
  return authorizeDownload(profile, attempt);
}

function authorizeDownload(
  profile: Profile,
  attempt: DownloadAttempt,
): Result<Profile, LifecycleError> {
  if (profile.downloadAttempts >= MAX_DOWNLOAD_ATTEMPTS) {
    return tooManyAttempts(recordedAttempt(lock(profile, attempt.at)));
  }
  const expected = profile.confirmationCode;
  if (expected !== undefined) {
    // A missing code is not a guess, so it does not count toward the lock.
    if (attempt.confirmationCode === undefined) {
      return confirmationCodeMissing(recordedAttempt(profile));
    }
    if (attempt.confirmationCode !== expected) {
      // SGP.22 ES9+.GetBoundProfilePackage: each wrong code counts; at the limit the order ends.
      const confirmationCodeAttempts = profile.confirmationCodeAttempts + 1;
      const counted = { ...profile, confirmationCodeAttempts };
      const next =
        confirmationCodeAttempts >= MAX_CONFIRMATION_CODE_ATTEMPTS
          ? lock(counted, attempt.at)
          : counted;
      return confirmationCodeWrong(recordedAttempt(next));
    }
  }
  return ok({
    ...profile,
    eid: attempt.eid,
    downloadAttempts: profile.downloadAttempts + 1,
    downloadAuthorizedAt: attempt.at,
  });
}

function lock(profile: Profile, at: EpochMillis): Profile {
  return { ...profile, state: 'error', lockedAt: at };
}
