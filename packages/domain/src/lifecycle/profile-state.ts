import type { LifecycleEventType } from './lifecycle-event.ts';

/**
 * The states of an eSIM profile. `available` … `installed`, `error` and `unavailable` are the
 * SM-DP+ states of GSMA SGP.22 ES2+; `enabled`, `disabled` and `deleted` are the eUICC's own
 * (ES10) states, which the carrier learns through notifications.
 */
export const profileStates = [
  'available',
  'allocated',
  'linked',
  'confirmed',
  'released',
  'downloaded',
  'installed',
  'enabled',
  'disabled',
  'deleted',
  'error',
  'unavailable',
] as const;

export type ProfileState = (typeof profileStates)[number];

/** For each state, the events it accepts and the states each may lead to. */
export type TransitionTable = {
  readonly [S in ProfileState]: {
    readonly [E in LifecycleEventType]?: readonly ProfileState[];
  };
};

/**
 * The declared edges of the lifecycle, as data for documentation and tests. An event missing
 * from a state's row is refused; see `transition` for the guards inside an allowed edge.
 */
export const lifecycleTransitions: TransitionTable = {
  available: { allocate: ['allocated'] },
  // ConfirmOrder is valid with or without a linked EID (SGP.22 ES2+.ConfirmOrder); an order
  // placed without an EID is bound to the first device whose download is accepted.
  allocated: { link: ['linked'], confirm: ['confirmed'], cancel: ['unavailable'] },
  linked: { confirm: ['confirmed'], cancel: ['unavailable'] },
  confirmed: { release: ['released'], cancel: ['unavailable'] },
  // Downloads are served only once released (ES2+.ReleaseProfile). An accepted attempt stays
  // in `released` until the package is delivered; exhausted attempts end in `error`.
  released: {
    downloadAttempt: ['released', 'error'],
    downloaded: ['downloaded'],
    downloadFailed: ['released'],
    cancel: ['unavailable'],
  },
  // A broken session returns the profile to `released` for a retry rather than to `error`:
  // coverage gaps are routine, and the download budget still bounds the retries.
  downloaded: {
    downloadAttempt: ['downloaded'],
    installed: ['installed'],
    downloadFailed: ['released'],
  },
  // A same-EID download attempt after delivery is a replay of a lost response: no change.
  installed: {
    downloadAttempt: ['installed'],
    enable: ['enabled'],
    delete: ['deleted'],
  },
  enabled: { downloadAttempt: ['enabled'], disable: ['disabled'], delete: ['deleted'] },
  disabled: { downloadAttempt: ['disabled'], enable: ['enabled'], delete: ['deleted'] },
  deleted: {},
  error: { cancel: ['unavailable'] },
  unavailable: {},
};

/** Whether `state` accepts `eventType` at all; guards inside the edge may still refuse it. */
export function canTransition(state: ProfileState, eventType: LifecycleEventType): boolean {
  return lifecycleTransitions[state][eventType] !== undefined;
}
