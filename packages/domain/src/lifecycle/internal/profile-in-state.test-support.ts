// Shared by the lifecycle tests only (vitest collects `*.test.ts`, not this file).
import { unwrap } from '../../result.ts';
import type { DownloadAttempt, LifecycleEvent } from '../lifecycle-event.ts';
import { MAX_CONFIRMATION_CODE_ATTEMPTS, newProfile, type Profile } from '../profile.ts';
import type { ProfileState } from '../profile-state.ts';
import { profileAfter, transition } from '../transition.ts';

/** Two valid EIDs (mod 97 == 1): the buyer's phone and somebody else's. */
export const eidA = '89882119900000000000000000001654';
export const eidB = '89049032000000000000000000000066';
export const rightCode = '48291375';
export const wrongCode = '11111111';
export const orderedAt = Date.UTC(2026, 2, 7, 15, 0);

export const attemptFrom = (
  eid: string,
  confirmationCode?: string,
  at = orderedAt,
): DownloadAttempt =>
  confirmationCode === undefined ? { eid, at } : { eid, confirmationCode, at };

const toReleased: LifecycleEvent[] = [
  { type: 'allocate' },
  { type: 'confirm', confirmationCode: rightCode },
  { type: 'release' },
];
const toDownloaded: LifecycleEvent[] = [
  ...toReleased,
  { type: 'downloadAttempt', ...attemptFrom(eidA, rightCode) },
  { type: 'downloaded' },
];
const toEnabled: LifecycleEvent[] = [
  ...toDownloaded,
  { type: 'installed' },
  { type: 'enable', at: orderedAt },
];
const wrongCodes: LifecycleEvent[] = Array.from({ length: MAX_CONFIRMATION_CODE_ATTEMPTS }, () => ({
  type: 'downloadAttempt',
  ...attemptFrom(eidA, wrongCode),
}));

/** How each state is reached from a new profile, through the public `transition` only. */
export const pathTo: { readonly [S in ProfileState]: readonly LifecycleEvent[] } = {
  available: [],
  allocated: [{ type: 'allocate' }],
  linked: [{ type: 'allocate' }, { type: 'link', eid: eidA }],
  confirmed: [{ type: 'allocate' }, { type: 'confirm', confirmationCode: rightCode }],
  released: toReleased,
  downloaded: toDownloaded,
  installed: [...toDownloaded, { type: 'installed' }],
  enabled: toEnabled,
  disabled: [...toEnabled, { type: 'disable' }],
  deleted: [...toEnabled, { type: 'delete' }],
  error: [...toReleased, ...wrongCodes],
  unavailable: [{ type: 'allocate' }, { type: 'cancel' }],
};

/** A frozen profile in `state`, so any attempt to mutate it throws. */
export function profileIn(state: ProfileState): Profile {
  const profile = pathTo[state].reduce(
    (current, event) => profileAfter(current, transition(current, event)),
    newProfile(),
  );
  if (profile.state !== state) throw new Error(`path to ${state} ended in ${profile.state}`);
  return Object.freeze(profile);
}

/** Applies events that must all succeed. */
export const applyAll = (profile: Profile, events: readonly LifecycleEvent[]): Profile =>
  events.reduce((current, event) => unwrap(transition(current, event)), profile);
