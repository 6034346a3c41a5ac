import type { EpochMillis } from '../time/instant.ts';

/** What the LPA sends the SM-DP+ when it asks for a profile (`POST /v1/lpa/download`). */
export interface DownloadAttempt {
  readonly eid: string;
  /** The code the user typed; required only when the order set one (activation code ends `$1`). */
  readonly confirmationCode?: string;
  readonly at: EpochMillis;
}

/**
 * Commands and notifications that move a profile through its lifecycle. The carrier issues the
 * ES2+ ones (allocate … release, cancel); the LPA and eUICC cause the rest (ES9+ download,
 * ES10 enable/disable/delete, which the carrier learns through notifications).
 */
export type LifecycleEvent =
  /** ES2+.DownloadOrder without an EID: a profile is reserved for an order. */
  | { readonly type: 'allocate' }
  /** ES2+.DownloadOrder with an EID: the order names the device up front. */
  | { readonly type: 'link'; readonly eid: string }
  /** ES2+.ConfirmOrder, which carries the confirmation code when the order wants one. */
  | { readonly type: 'confirm'; readonly confirmationCode?: string }
  /** ES2+.ReleaseProfile: the profile may now be downloaded. */
  | { readonly type: 'release' }
  | DownloadAttemptEvent
  /** ES9+.GetBoundProfilePackage delivered the bound profile package to the LPA. */
  | { readonly type: 'downloaded' }
  /** ES9+.HandleNotification: the eUICC reports a successful installation. */
  | { readonly type: 'installed' }
  /** ES10c.EnableProfile; `at` dates the first enable, when a base plan's validity starts. */
  | { readonly type: 'enable'; readonly at: EpochMillis }
  /** ES10c.DisableProfile. */
  | { readonly type: 'disable' }
  /** ES10c.DeleteProfile: the profile is gone from the eUICC for good. */
  | { readonly type: 'delete' }
  /** The download session broke before installation (lost coverage, cancelled session). */
  | { readonly type: 'downloadFailed' }
  /** ES2+.CancelOrder: the order is withdrawn and its activation code is void. */
  | { readonly type: 'cancel' };

/** ES9+.AuthenticateClient and the confirmation-code check: the LPA asks for the profile. */
export interface DownloadAttemptEvent extends DownloadAttempt {
  readonly type: 'downloadAttempt';
}

export type LifecycleEventType = LifecycleEvent['type'];

// A mapped type, so adding an event to the union without listing it here fails to compile.
const eventTypes: { readonly [T in LifecycleEventType]: T } = {
  allocate: 'allocate',
  link: 'link',
  confirm: 'confirm',
  release: 'release',
  downloadAttempt: 'downloadAttempt',
  downloaded: 'downloaded',
  installed: 'installed',
  enable: 'enable',
  disable: 'disable',
  delete: 'delete',
  downloadFailed: 'downloadFailed',
  cancel: 'cancel',
};

/** Every event type, in lifecycle order. */
export const lifecycleEventTypes: readonly LifecycleEventType[] = Object.values(eventTypes);
