import { describe, expect, it } from 'vitest';
import {
  applyAll,
  attemptFrom,
  eidA,
  eidB,
  orderedAt,
  profileIn,
  rightCode,
  wrongCode,
} from './internal/profile-in-state.test-support.ts';
import type { LifecycleError } from './lifecycle-error.ts';
import {
  type LifecycleEvent,
  type LifecycleEventType,
  lifecycleEventTypes,
} from './lifecycle-event.ts';
import { MAX_DOWNLOAD_ATTEMPTS, newProfile, type Profile } from './profile.ts';
import { canTransition, type ProfileState, profileStates } from './profile-state.ts';
import { profileAfter, transition } from './transition.ts';

const sampleEvent: { readonly [T in LifecycleEventType]: Extract<LifecycleEvent, { type: T }> } = {
  allocate: { type: 'allocate' },
  link: { type: 'link', eid: eidA },
  confirm: { type: 'confirm', confirmationCode: rightCode },
  release: { type: 'release' },
  downloadAttempt: { type: 'downloadAttempt', ...attemptFrom(eidA, rightCode) },
  downloaded: { type: 'downloaded' },
  installed: { type: 'installed' },
  enable: { type: 'enable', at: orderedAt },
  disable: { type: 'disable' },
  delete: { type: 'delete' },
  downloadFailed: { type: 'downloadFailed' },
  cancel: { type: 'cancel' },
};

function expectRefused(profile: Profile, event: LifecycleEvent): LifecycleError {
  const result = transition(profile, event);
  if (result.ok) throw new Error(`expected ${event.type} from ${profile.state} to be refused`);
  return result.error;
}

describe('transition', () => {
  it('takes an order through download and installation to enabled', () => {
    const states: ProfileState[] = [];
    const events: LifecycleEvent[] = [
      { type: 'allocate' },
      { type: 'link', eid: eidA },
      { type: 'confirm', confirmationCode: rightCode },
      { type: 'release' },
      { type: 'downloadAttempt', ...attemptFrom(eidA, rightCode, orderedAt + 5) },
      { type: 'downloaded' },
      { type: 'installed' },
      { type: 'enable', at: orderedAt + 9 },
    ];
    const enabled = events.reduce((profile, event) => {
      const next = applyAll(profile, [event]);
      states.push(next.state);
      return next;
    }, newProfile());

    expect(states).toEqual([
      'allocated',
      'linked',
      'confirmed',
      'released',
      'released',
      'downloaded',
      'installed',
      'enabled',
    ]);
    expect(enabled).toEqual({
      state: 'enabled',
      eid: eidA,
      confirmationCode: rightCode,
      downloadAttempts: 1,
      confirmationCodeAttempts: 0,
      downloadAuthorizedAt: orderedAt + 5,
      firstEnabledAt: orderedAt + 9,
    });
  });

  it('binds an order placed without an EID to the first device whose download is accepted', () => {
    const released = applyAll(newProfile(), [
      { type: 'allocate' },
      { type: 'confirm' },
      { type: 'release' },
    ]);
    expect(released.eid).toBeUndefined();
    expect(released.confirmationCode).toBeUndefined();
    const accepted = applyAll(released, [{ type: 'downloadAttempt', ...attemptFrom(eidB) }]);
    expect(accepted.eid).toBe(eidB);
  });

  it('switches an installed profile between enabled and disabled, keeping the first enable time', () => {
    const installed = profileIn('installed');
    const enabled = applyAll(installed, [{ type: 'enable', at: 100 }]);
    const disabled = applyAll(enabled, [{ type: 'disable' }]);
    const reenabled = applyAll(disabled, [{ type: 'enable', at: 200 }]);
    expect([enabled.state, disabled.state, reenabled.state]).toEqual([
      'enabled',
      'disabled',
      'enabled',
    ]);
    expect(reenabled.firstEnabledAt).toBe(100);
  });

  it('deletes a profile from installed, enabled or disabled, after which nothing is accepted', () => {
    for (const state of ['installed', 'enabled', 'disabled'] as const) {
      const deleted = applyAll(profileIn(state), [{ type: 'delete' }]);
      expect(deleted.state).toBe('deleted');
      for (const type of lifecycleEventTypes) {
        expect(transition(deleted, sampleEvent[type]).ok).toBe(false);
      }
    }
  });

  it('cancels an order that has not been downloaded, voiding its activation code', () => {
    for (const state of ['allocated', 'linked', 'confirmed', 'released', 'error'] as const) {
      const cancelled = applyAll(profileIn(state), [{ type: 'cancel' }]);
      expect(cancelled.state).toBe('unavailable');
      expect(expectRefused(cancelled, sampleEvent.downloadAttempt).code).toBe('code_already_used');
    }
  });

  it('refuses every event the table does not declare, naming state and event, changing nothing', () => {
    let refusals = 0;
    for (const state of profileStates) {
      const profile = profileIn(state);
      const snapshot = structuredClone(profile);
      for (const type of lifecycleEventTypes) {
        if (canTransition(state, type)) continue;
        refusals += 1;
        const error = expectRefused(profile, sampleEvent[type]);
        expect(profile).toEqual(snapshot);
        expect(profileAfter(profile, transition(profile, sampleEvent[type]))).toEqual(snapshot);
        // A device asking for a used-up activation code is told so in the LPA's terms.
        if (type === 'downloadAttempt' && (state === 'deleted' || state === 'unavailable')) {
          expect(error.code).toBe('code_already_used');
        } else if (type === 'downloadAttempt' && state === 'error') {
          expect(error.code).toBe('too_many_attempts');
        } else {
          expect(error).toMatchObject({ code: 'illegal_transition', from: state, event: type });
          expect(error.message).toContain(`\`${type}\``);
          expect(error.message).toContain(`\`${state}\``);
        }
      }
    }
    // 12 states × 12 events, less the 25 pairs the table declares.
    expect(refusals).toBe(profileStates.length * lifecycleEventTypes.length - 25);
  });

  it('never mutates the profile it is given, whatever the event', () => {
    for (const state of profileStates) {
      const profile = profileIn(state);
      const snapshot = structuredClone(profile);
      for (const type of lifecycleEventTypes) {
        // `profileIn` freezes: a mutation would throw here in strict mode.
        transition(profile, sampleEvent[type]);
        expect(profile).toEqual(snapshot);
      }
    }
  });

  it('refuses to deliver a package before a download attempt has been accepted', () => {
    const released = profileIn('released');
    expect(expectRefused(released, { type: 'downloaded' })).toMatchObject({
      code: 'illegal_transition',
      from: 'released',
      event: 'downloaded',
    });
    expect(expectRefused(released, { type: 'downloadFailed' })).toMatchObject({
      code: 'illegal_transition',
      event: 'downloadFailed',
    });
  });

  it('returns a broken download to released, so the same device can retry', () => {
    const failed = applyAll(profileIn('downloaded'), [{ type: 'downloadFailed' }]);
    expect(failed.state).toBe('released');
    expect(failed.downloadAuthorizedAt).toBeUndefined();
    expect(expectRefused(failed, { type: 'downloaded' }).code).toBe('illegal_transition');

    const retried = applyAll(failed, [
      { type: 'downloadAttempt', ...attemptFrom(eidA, rightCode, orderedAt + 60_000) },
      { type: 'downloaded' },
    ]);
    expect(retried).toMatchObject({ state: 'downloaded', eid: eidA, downloadAttempts: 2 });
    expect(
      expectRefused(failed, { type: 'downloadAttempt', ...attemptFrom(eidB, rightCode) }).code,
    ).toBe('code_already_used');
  });

  it(`locks the activation code after ${MAX_DOWNLOAD_ATTEMPTS} accepted attempts that all failed`, () => {
    let profile = profileIn('released');
    for (let i = 0; i < MAX_DOWNLOAD_ATTEMPTS; i += 1) {
      profile = applyAll(profile, [
        { type: 'downloadAttempt', ...attemptFrom(eidA, rightCode, i) },
        { type: 'downloadFailed' },
      ]);
    }
    expect(profile).toMatchObject({ state: 'released', downloadAttempts: MAX_DOWNLOAD_ATTEMPTS });

    const result = transition(profile, {
      type: 'downloadAttempt',
      ...attemptFrom(eidA, rightCode, 99),
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('too_many_attempts');
    expect(result.error.message).toContain(`${MAX_DOWNLOAD_ATTEMPTS} download attempts`);
    expect(profileAfter(profile, result)).toMatchObject({ state: 'error', lockedAt: 99 });
  });
});

describe('profileAfter', () => {
  it('stores the new profile on success and the unchanged one on an uncounted refusal', () => {
    const allocated = profileIn('allocated');
    const linked = transition(allocated, { type: 'link', eid: eidA });
    expect(profileAfter(allocated, linked)).toEqual({ ...allocated, state: 'linked', eid: eidA });
    const refused = transition(allocated, { type: 'enable', at: 1 });
    expect(profileAfter(allocated, refused)).toBe(allocated);
  });

  it('stores a counted wrong code without dropping the rest of the record', () => {
    const released = profileIn('released');
    const result = transition(released, {
      type: 'downloadAttempt',
      ...attemptFrom(eidA, wrongCode),
    });
    expect(profileAfter(released, result)).toEqual({ ...released, confirmationCodeAttempts: 1 });
  });
});
