import type { EpochMillis } from '../time/instant.ts';
import type { ProfileState } from './profile-state.ts';

/** Wrong confirmation codes allowed before the activation code locks (SM-DP+ policy, SGP.22 ES9+). */
export const MAX_CONFIRMATION_CODE_ATTEMPTS = 5;

/**
 * Accepted download attempts allowed per activation code. SGP.22 leaves the retry limit to the
 * SM-DP+; ten lets a phone ride out a few coverage gaps without making the code reusable forever.
 */
export const MAX_DOWNLOAD_ATTEMPTS = 10;

/** The SM-DP+'s record of one eSIM profile. Plain data: store it as it is. */
export interface Profile {
  readonly state: ProfileState;
  /** The eUICC the profile is bound to, by `link` or by the first accepted download attempt. */
  readonly eid?: string;
  /** The expected confirmation code, from ES2+.ConfirmOrder. Never put it in an error or a log. */
  readonly confirmationCode?: string;
  /** Download attempts the SM-DP+ accepted (right EID, right confirmation code). */
  readonly downloadAttempts: number;
  /** Wrong confirmation codes received so far. */
  readonly confirmationCodeAttempts: number;
  /** When the last accepted download attempt opened a session; cleared when it fails. */
  readonly downloadAuthorizedAt?: EpochMillis;
  /** When the profile locked after too many attempts; a locked profile stays locked. */
  readonly lockedAt?: EpochMillis;
  /** When the profile was first enabled on the device: a base plan's validity starts then. */
  readonly firstEnabledAt?: EpochMillis;
}

/** A profile in the SM-DP+'s pool, not yet reserved for any order. */
export function newProfile(): Profile {
  return { state: 'available', downloadAttempts: 0, confirmationCodeAttempts: 0 };
}

/** Whether the profile locked after too many confirmation codes or download attempts. */
export function isLocked(profile: Profile): boolean {
  return profile.lockedAt !== undefined;
}
