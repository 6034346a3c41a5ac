import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { type Result, unwrap } from '../result.ts';
import { downloadAndInstall } from './download.ts';
import {
  attemptFrom,
  eidA,
  eidB,
  orderedAt,
  profileIn,
  rightCode,
  wrongCode,
} from './internal/profile-in-state.test-support.ts';
import type { LifecycleError } from './lifecycle-error.ts';
import type { DownloadAttempt } from './lifecycle-event.ts';
import { placeOrder } from './order.ts';
import { isLocked, MAX_CONFIRMATION_CODE_ATTEMPTS, type Profile } from './profile.ts';
import { profileAfter } from './transition.ts';

function refusal(result: Result<Profile, LifecycleError>): LifecycleError {
  if (result.ok) throw new Error(`expected a refusal, got a profile in ${result.value.state}`);
  return result.error;
}

/** Runs attempts the way the carrier does: each one against what the previous one stored. */
function attemptAll(profile: Profile, attempts: readonly DownloadAttempt[]) {
  const results: Result<Profile, LifecycleError>[] = [];
  const last = attempts.reduce((current, attempt) => {
    const result = downloadAndInstall(current, attempt);
    results.push(result);
    return profileAfter(current, result);
  }, profile);
  return { results, last };
}

const codeArb = fc.stringMatching(/^[0-9]{8}$/);
// Times stay below eight digits, so an eight-digit code can only appear in an error by leaking.
const atArb = fc.integer({ min: 0, max: 9_999_999 });
const eidArb = fc.constantFrom(eidA, eidB);

describe('downloadAndInstall', () => {
  it('installs and enables a released order for the device that asks first', () => {
    const result = downloadAndInstall(placeOrder({}), attemptFrom(eidA, undefined, orderedAt));
    expect(result).toEqual({
      ok: true,
      value: {
        state: 'enabled',
        eid: eidA,
        downloadAttempts: 1,
        confirmationCodeAttempts: 0,
        downloadAuthorizedAt: orderedAt,
        firstEnabledAt: orderedAt,
      },
    });
  });

  it('accepts the right confirmation code when the order demands one', () => {
    const ordered = placeOrder({ eid: eidA, confirmationCode: rightCode });
    expect(ordered).toMatchObject({ state: 'released', eid: eidA });
    const result = downloadAndInstall(ordered, attemptFrom(eidA, rightCode));
    expect(result.ok && result.value.state).toBe('enabled');
  });

  it('refuses an order that has not been released yet', () => {
    for (const state of ['available', 'allocated', 'linked', 'confirmed'] as const) {
      expect(
        refusal(downloadAndInstall(profileIn(state), attemptFrom(eidA, rightCode))),
      ).toMatchObject({ code: 'illegal_transition', from: state, event: 'downloadAttempt' });
    }
  });

  describe('single use per EID', () => {
    test.prop([
      fc.constantFrom('downloaded', 'installed', 'enabled', 'disabled' as const),
      codeArb,
    ])('refuses a second device with code_already_used, whatever code it sends', (state, code) => {
      const bound = profileIn(state);
      const result = downloadAndInstall(bound, attemptFrom(eidB, code));
      expect(refusal(result).code).toBe('code_already_used');
      expect(profileAfter(bound, result)).toBe(bound);
    });

    it('refuses a second device on an order that named its EID, before any download', () => {
      const ordered = placeOrder({ eid: eidA, confirmationCode: rightCode });
      expect(refusal(downloadAndInstall(ordered, attemptFrom(eidB, rightCode))).code).toBe(
        'code_already_used',
      );
    });

    it('answers a retry from the bound device with the current profile, counting nothing', () => {
      const enabled = unwrap(
        downloadAndInstall(
          placeOrder({ confirmationCode: rightCode }),
          attemptFrom(eidA, rightCode),
        ),
      );
      const retried = downloadAndInstall(enabled, attemptFrom(eidA, rightCode, orderedAt + 1_000));
      expect(retried).toEqual({ ok: true, value: enabled });
      expect(unwrap(retried).downloadAttempts).toBe(1);
    });

    it('leaves a profile the user disabled disabled when the bound device retries', () => {
      const disabled = profileIn('disabled');
      expect(downloadAndInstall(disabled, attemptFrom(eidA, rightCode))).toEqual({
        ok: true,
        value: disabled,
      });
    });

    it('finishes an interrupted chain when the bound device retries after delivery', () => {
      const downloaded = profileIn('downloaded');
      const result = unwrap(downloadAndInstall(downloaded, attemptFrom(eidA, rightCode)));
      expect(result).toMatchObject({ state: 'enabled', downloadAttempts: 1 });
    });

    it('never downloads a deleted profile again, not even to the device that had it', () => {
      for (const eid of [eidA, eidB]) {
        expect(
          refusal(downloadAndInstall(profileIn('deleted'), attemptFrom(eid, rightCode))).code,
        ).toBe('code_already_used');
      }
    });
  });

  describe('confirmation code', () => {
    it(`locks after ${MAX_CONFIRMATION_CODE_ATTEMPTS} wrong codes and then refuses even the right one`, () => {
      const ordered = placeOrder({ confirmationCode: rightCode });
      const wrong = Array.from({ length: MAX_CONFIRMATION_CODE_ATTEMPTS }, (_, i) =>
        attemptFrom(eidA, wrongCode, orderedAt + i),
      );
      const { results, last } = attemptAll(ordered, wrong);

      expect(results.map((r) => refusal(r).code)).toEqual(
        Array(MAX_CONFIRMATION_CODE_ATTEMPTS).fill('confirmation_code_invalid'),
      );
      expect(
        results.map((r) => (refusal(r) as { attemptsRemaining: number }).attemptsRemaining),
      ).toEqual([4, 3, 2, 1, 0]);
      expect(last).toMatchObject({
        state: 'error',
        confirmationCodeAttempts: MAX_CONFIRMATION_CODE_ATTEMPTS,
        lockedAt: orderedAt + MAX_CONFIRMATION_CODE_ATTEMPTS - 1,
      });
      expect(last.eid).toBeUndefined();
      expect(isLocked(last)).toBe(true);
      expect(isLocked(ordered)).toBe(false);

      const sixth = downloadAndInstall(last, attemptFrom(eidA, rightCode, orderedAt + 60_000));
      expect(refusal(sixth).code).toBe('too_many_attempts');
      expect(refusal(sixth).message).toContain('wrong confirmation codes');
      expect(profileAfter(last, sixth)).toEqual(last);
    });

    it('installs after fewer wrong codes than the limit, keeping the count', () => {
      const wrong = Array.from({ length: MAX_CONFIRMATION_CODE_ATTEMPTS - 1 }, () =>
        attemptFrom(eidA, wrongCode),
      );
      const { last } = attemptAll(placeOrder({ confirmationCode: rightCode }), [
        ...wrong,
        attemptFrom(eidA, rightCode),
      ]);
      expect(last).toMatchObject({ state: 'enabled', confirmationCodeAttempts: 4 });
    });

    it('counts wrong codes from any device toward one lock, so devices cannot share the guessing', () => {
      const wrong = Array.from({ length: MAX_CONFIRMATION_CODE_ATTEMPTS }, (_, i) =>
        attemptFrom(i % 2 === 0 ? eidA : eidB, wrongCode),
      );
      const { last } = attemptAll(placeOrder({ confirmationCode: rightCode }), wrong);
      expect(last.state).toBe('error');
      expect(refusal(downloadAndInstall(last, attemptFrom(eidB, rightCode))).code).toBe(
        'too_many_attempts',
      );
    });

    it('does not count a missing code as a guess', () => {
      const ordered = placeOrder({ confirmationCode: rightCode });
      const result = downloadAndInstall(ordered, attemptFrom(eidA));
      expect(refusal(result)).toMatchObject({
        code: 'confirmation_code_invalid',
        attemptsRemaining: MAX_CONFIRMATION_CODE_ATTEMPTS,
      });
      expect(profileAfter(ordered, result)).toEqual(ordered);
    });

    it('does not let a wrong code from another device count against an order bound to this one', () => {
      const ordered = placeOrder({ eid: eidA, confirmationCode: rightCode });
      const result = downloadAndInstall(ordered, attemptFrom(eidB, wrongCode));
      expect(refusal(result).code).toBe('code_already_used');
      expect(profileAfter(ordered, result)).toEqual(ordered);
    });

    const sentCodeArb = fc.option(fc.oneof(codeArb, fc.constant('the right one')), {
      nil: undefined,
    });

    test.prop([codeArb, fc.array(fc.tuple(eidArb, sentCodeArb, atArb), { maxLength: 12 })])(
      'never puts the expected confirmation code in an error',
      (expected, tries) => {
        const attempts = tries.map(([eid, sent, at]) =>
          attemptFrom(eid, sent === 'the right one' ? expected : sent, at),
        );
        const { results } = attemptAll(placeOrder({ confirmationCode: expected }), attempts);
        for (const result of results) {
          if (!result.ok) expect(JSON.stringify(result.error)).not.toContain(expected);
        }
      },
    );
  });
});
