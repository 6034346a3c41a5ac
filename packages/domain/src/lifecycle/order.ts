import { unwrap } from '../result.ts';
import type { LifecycleEvent } from './lifecycle-event.ts';
import { newProfile, type Profile } from './profile.ts';
import { transition } from './transition.ts';

/** What the carrier knows when an eSIM is ordered (`POST /v1/esims`). */
export interface ProfileOrder {
  /** The device, when the buyer names it; otherwise the first accepted download binds one. */
  readonly eid?: string;
  /** Set when the activation code demands a confirmation code (`$1`). */
  readonly confirmationCode?: string;
}

/**
 * A fresh profile taken through ES2+.DownloadOrder and ConfirmOrder with the release flag set,
 * so it is `released`, ready for `downloadAndInstall`, as a carrier does for an online order.
 */
export function placeOrder(order: ProfileOrder): Profile {
  const events: LifecycleEvent[] = [
    { type: 'allocate' },
    ...(order.eid === undefined ? [] : [{ type: 'link', eid: order.eid } as const]),
    order.confirmationCode === undefined
      ? { type: 'confirm' }
      : { type: 'confirm', confirmationCode: order.confirmationCode },
    { type: 'release' },
  ];
  // Every step is a declared edge from `available`, so a refusal here would be a bug.
  return events.reduce((profile, event) => unwrap(transition(profile, event)), newProfile());
}
