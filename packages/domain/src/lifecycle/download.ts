import { ok, type Result } from '../result.ts';
import type { EpochMillis } from '../time/instant.ts';
import type { LifecycleError } from './lifecycle-error.ts';
import type { DownloadAttempt, LifecycleEvent } from './lifecycle-event.ts';
import type { Profile } from './profile.ts';
import { transition } from './transition.ts';

/**
 * What `POST /v1/lpa/download` does to a released profile: accept the attempt, deliver, install
 * and enable it, returning the enabled profile or the first refusal. A retry from the bound EID
 * finishes an interrupted chain or, once installed and enabled or disabled, changes nothing.
 */
export function downloadAndInstall(
  profile: Profile,
  attempt: DownloadAttempt,
): Result<Profile, LifecycleError> {
  const accepted = transition(profile, { type: 'downloadAttempt', ...attempt });
  if (!accepted.ok) return accepted;
  let current = accepted.value;
  for (let step = nextStep(current, attempt.at); step; step = nextStep(current, attempt.at)) {
    const stepped = transition(current, step);
    if (!stepped.ok) return stepped;
    current = stepped.value;
  }
  return ok(current);
}

function nextStep(profile: Profile, at: EpochMillis): LifecycleEvent | undefined {
  switch (profile.state) {
    case 'released':
      return { type: 'downloaded' };
    case 'downloaded':
      return { type: 'installed' };
    case 'installed':
      return { type: 'enable', at };
    default:
      // A disabled profile stays disabled: the user chose that, a replayed request did not.
      return undefined;
  }
}
