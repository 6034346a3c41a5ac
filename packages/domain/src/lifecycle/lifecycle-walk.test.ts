import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ok, type Result } from '../result.ts';
import { eidA, eidB, rightCode, wrongCode } from './internal/profile-in-state.test-support.ts';
import type { LifecycleError } from './lifecycle-error.ts';
import {
  type LifecycleEvent,
  type LifecycleEventType,
  lifecycleEventTypes,
} from './lifecycle-event.ts';
import { newProfile, type Profile } from './profile.ts';
import {
  canTransition,
  lifecycleTransitions,
  type ProfileState,
  profileStates,
} from './profile-state.ts';
import { profileAfter, transition } from './transition.ts';

type Step = (profile: Profile, event: LifecycleEvent) => Result<Profile, LifecycleError>;

/**
 * One step of a walk. A guided step takes an event the current state accepts; an unguided one
 * takes any event. Uniform events alone rarely get past the order states (the mutants below
 * survive them), so most walks follow the graph, with illegal events mixed in.
 */
interface Move {
  readonly guided: boolean;
  readonly pick: number;
  readonly eid: string;
  readonly code: string | undefined;
  readonly at: number;
}

// A careful device mostly sends the right code; a guessing one mostly wrong codes, so walks
// reach both the installed states and the lock.
const codeMixes = {
  careful: [rightCode, rightCode, rightCode, wrongCode, undefined],
  guessing: [wrongCode, wrongCode, wrongCode, rightCode, undefined],
};

const moveArb = (guidedShare: number, codes: readonly (string | undefined)[]): fc.Arbitrary<Move> =>
  fc.record({
    guided: fc.integer({ min: 1, max: 100 }).map((n) => n <= guidedShare),
    pick: fc.nat(),
    eid: fc.constantFrom(eidA, eidA, eidB),
    code: fc.constantFrom(...codes),
    at: fc.integer({ min: 0, max: 9_999_999 }),
  });

// `size: 'max'` lets lengths spread up to the maximum instead of fast-check's short default.
const walkOf = (guidedShare: number): fc.Arbitrary<Move[]> =>
  fc.oneof(
    ...Object.values(codeMixes).map((codes) =>
      fc.array(moveArb(guidedShare, codes), { maxLength: 120, size: 'max' }),
    ),
  );

const anyEventsArb = walkOf(0);
const guidedWalkArb = walkOf(80);

// A device may ask for its profile at any time, so guided steps always include a download
// attempt; in a state that accepts nothing else they poke at it with any event. Cancellation and
// deletion end a walk, so guided steps pick them an eighth as often as the other events.
const endsWalk = new Set<LifecycleEventType>(['cancel', 'delete']);
const guidedChoices = new Map(
  profileStates.map((state) => {
    const accepted = lifecycleEventTypes.filter((type) => canTransition(state, type));
    const pool: readonly LifecycleEventType[] =
      accepted.length === 0 ? lifecycleEventTypes : [...accepted, 'downloadAttempt'];
    const weighted = pool.flatMap((type) =>
      endsWalk.has(type) ? [type] : Array<LifecycleEventType>(8).fill(type),
    );
    return [state, weighted];
  }),
);

function eventFor(profile: Profile, move: Move): LifecycleEvent {
  const choices = (move.guided && guidedChoices.get(profile.state)) || lifecycleEventTypes;
  const type = choices[move.pick % choices.length] ?? 'allocate';
  const { eid, code, at } = move;
  switch (type) {
    case 'link':
      return { type, eid };
    case 'confirm':
      return code === undefined ? { type } : { type, confirmationCode: rightCode };
    case 'downloadAttempt':
      return code === undefined ? { type, eid, at } : { type, eid, confirmationCode: code, at };
    case 'enable':
      return { type, at };
    default:
      return { type };
  }
}

const declares = (from: ProfileState, event: LifecycleEvent, to: ProfileState): boolean =>
  lifecycleTransitions[from][event.type]?.includes(to) ?? false;

const recordKeys: readonly (keyof Profile)[] = [
  'state',
  'eid',
  'confirmationCode',
  'downloadAttempts',
  'confirmationCodeAttempts',
  'downloadAuthorizedAt',
  'lockedAt',
  'firstEnabledAt',
];
const sameRecord = (a: Profile, b: Profile): boolean =>
  Object.keys(a).length === Object.keys(b).length && recordKeys.every((key) => a[key] === b[key]);

/**
 * Walks `moves` from a new profile through `step`, storing what the carrier would store, and
 * names the first broken lifecycle law, if any.
 */
function firstViolation(step: Step, moves: readonly Move[]): string | undefined {
  let before = newProfile();
  for (const [i, move] of moves.entries()) {
    const event = eventFor(before, move);
    // Frozen, so a step that mutates its input throws and fails the walk.
    const result = step(Object.freeze({ ...before }), event);
    const after = profileAfter(before, result);
    const at = `step ${i} (${event.type} from ${before.state})`;

    if (!profileStates.includes(after.state)) return `${at}: reached undeclared ${after.state}`;
    const moved = !sameRecord(after, before);
    if ((result.ok || moved) && !declares(before.state, event, after.state)) {
      return `${at}: moved along undeclared edge to ${after.state}`;
    }
    if (after.downloadAttempts < before.downloadAttempts) return `${at}: downloadAttempts fell`;
    if (after.confirmationCodeAttempts < before.confirmationCodeAttempts) {
      return `${at}: confirmationCodeAttempts fell`;
    }
    if (before.lockedAt !== undefined && after.lockedAt !== before.lockedAt)
      return `${at}: unlocked`;
    if (before.state === 'deleted' && after.state !== 'deleted') return `${at}: left deleted`;
    if (before.eid !== undefined && after.eid !== before.eid) return `${at}: rebound the EID`;
    if (event.type === 'downloadAttempt' && before.state !== 'released' && moved) {
      return `${at}: a replayed download changed the record`;
    }
    if (!result.ok) {
      const { error } = result;
      const expected = before.confirmationCode;
      if (expected !== undefined && JSON.stringify(error).includes(expected)) {
        return `${at}: leaked the confirmation code in ${error.code}`;
      }
      if (
        error.code === 'illegal_transition' &&
        (error.from !== before.state || error.event !== event.type)
      ) {
        return `${at}: illegal_transition named ${error.from}/${error.event}`;
      }
    }
    before = after;
  }
  return undefined;
}

function statesVisited(moves: readonly Move[]): Set<ProfileState> {
  const visited = new Set<ProfileState>(['available']);
  moves.reduce((profile, move) => {
    const next = profileAfter(profile, transition(profile, eventFor(profile, move)));
    visited.add(next.state);
    return next;
  }, newProfile());
  return visited;
}

describe('random walks through the lifecycle', () => {
  test.prop([anyEventsArb])(
    'of arbitrary events are refused or applied without breaking a lifecycle law',
    (moves) => {
      expect(firstViolation(transition, moves)).toBeUndefined();
    },
  );

  test.prop([guidedWalkArb])(
    'stay in declared states, move along declared edges, never lose a count or a lock',
    (moves) => {
      expect(firstViolation(transition, moves)).toBeUndefined();
    },
  );

  it('go deep enough to reach every state, so the laws above are tested everywhere', () => {
    const reached = new Map<ProfileState, number>();
    for (const walk of fc.sample(guidedWalkArb, { numRuns: 1000, seed: 42 })) {
      for (const state of statesVisited(walk)) reached.set(state, (reached.get(state) ?? 0) + 1);
    }
    for (const state of profileStates) expect(reached.get(state) ?? 0).toBeGreaterThan(10);
  });
});

// Each mutant breaks one law; the checker must catch every one, or the properties above are hollow.
const mutants: readonly { name: string; law: string; step: Step }[] = [
  {
    name: 'forgets wrong codes once the right one arrives',
    law: 'confirmationCodeAttempts fell',
    step: (profile, event) => {
      const result = transition(profile, event);
      return result.ok && event.type === 'downloadAttempt'
        ? ok({ ...result.value, confirmationCodeAttempts: 0 })
        : result;
    },
  },
  {
    name: 'revives a deleted profile on enable',
    law: 'moved along undeclared edge',
    step: (profile, event) =>
      profile.state === 'deleted' && event.type === 'enable'
        ? ok({ ...profile, state: 'enabled' })
        : transition(profile, event),
  },
  {
    name: 'forgets the lock when a locked order is cancelled',
    law: 'unlocked',
    step: (profile, event) => {
      const result = transition(profile, event);
      if (!result.ok || event.type !== 'cancel') return result;
      const { lockedAt: _, ...unlocked } = result.value;
      return ok(unlocked);
    },
  },
  {
    name: 'skips delivery and installs straight from released',
    law: 'moved along undeclared edge to installed',
    step: (profile, event) => {
      const result = transition(profile, event);
      return result.ok && event.type === 'downloaded'
        ? ok({ ...result.value, state: 'installed' })
        : result;
    },
  },
  {
    name: 'rebinds the profile to whichever device asks last',
    law: 'rebound the EID',
    step: (profile, event) =>
      event.type === 'downloadAttempt' && profile.state === 'released'
        ? transition({ ...profile, eid: event.eid }, event)
        : transition(profile, event),
  },
  {
    name: 'tells the device which confirmation code it expected',
    law: 'leaked the confirmation code',
    step: (profile, event) => {
      const result = transition(profile, event);
      if (result.ok || result.error.code !== 'confirmation_code_invalid') return result;
      return {
        ok: false,
        error: { ...result.error, message: `expected ${profile.confirmationCode}` },
      };
    },
  },
  {
    name: 'counts a replayed download again',
    law: 'a replayed download changed the record',
    step: (profile, event) => {
      const result = transition(profile, event);
      return result.ok && event.type === 'downloadAttempt' && profile.state === 'enabled'
        ? ok({ ...result.value, downloadAttempts: result.value.downloadAttempts + 1 })
        : result;
    },
  },
];

describe('the random-walk checker', () => {
  it.each(mutants.map((mutant) => [mutant.name, mutant] as const))(
    'catches a lifecycle that %s',
    (_, { law, step }) => {
      const run = fc.check(
        fc.property(guidedWalkArb, (moves) => firstViolation(step, moves) === undefined),
        // A fixed seed keeps this check deterministic; no shrinking, the failure is the point.
        { seed: 7, endOnFailure: true },
      );
      expect(run.failed).toBe(true);
      const [moves] = run.counterexample ?? [[]];
      expect(firstViolation(step, moves)).toContain(law);
    },
  );
});
