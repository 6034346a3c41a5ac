import { describe, expect, it } from 'vitest';
import { lifecycleEventTypes } from './lifecycle-event.ts';
import {
  canTransition,
  lifecycleTransitions,
  type ProfileState,
  profileStates,
} from './profile-state.ts';

const edges = profileStates.flatMap((from) =>
  Object.entries(lifecycleTransitions[from]).flatMap(([event, targets]) =>
    (targets ?? []).map((to) => ({ from, event, to })),
  ),
);

const statesAccepting = (event: string): ProfileState[] =>
  profileStates.filter((state) => event in lifecycleTransitions[state]);

describe('lifecycleTransitions', () => {
  it('leads only to declared states, through declared events', () => {
    for (const { event, to } of edges) {
      expect(profileStates).toContain(to);
      expect(lifecycleEventTypes).toContain(event);
    }
  });

  it('reaches every state from a new profile', () => {
    const reached = new Set<ProfileState>(['available']);
    for (let grew = true; grew; ) {
      const before = reached.size;
      for (const { from, to } of edges) if (reached.has(from)) reached.add(to);
      grew = reached.size > before;
    }
    expect([...reached].sort()).toEqual([...profileStates].sort());
  });

  it('lets nothing out of deleted or unavailable, and only cancellation out of error', () => {
    expect(lifecycleTransitions.deleted).toEqual({});
    expect(lifecycleTransitions.unavailable).toEqual({});
    expect(lifecycleTransitions.error).toEqual({ cancel: ['unavailable'] });
  });

  it('follows the SGP.22 order flow up to release', () => {
    expect(statesAccepting('allocate')).toEqual(['available']);
    expect(statesAccepting('link')).toEqual(['allocated']);
    expect(statesAccepting('confirm')).toEqual(['allocated', 'linked']);
    expect(statesAccepting('release')).toEqual(['confirmed']);
    expect(lifecycleTransitions.released.downloaded).toEqual(['downloaded']);
    expect(lifecycleTransitions.downloaded.installed).toEqual(['installed']);
  });

  it('keeps enable, disable and delete to profiles on the device', () => {
    expect(statesAccepting('enable')).toEqual(['installed', 'disabled']);
    expect(statesAccepting('disable')).toEqual(['enabled']);
    expect(statesAccepting('delete')).toEqual(['installed', 'enabled', 'disabled']);
    expect(lifecycleTransitions.enabled.disable).toEqual(['disabled']);
    expect(lifecycleTransitions.disabled.enable).toEqual(['enabled']);
  });

  it('serves downloads only once released, and replays them to the device that has it', () => {
    expect(statesAccepting('downloadAttempt')).toEqual([
      'released',
      'downloaded',
      'installed',
      'enabled',
      'disabled',
    ]);
    for (const state of ['downloaded', 'installed', 'enabled', 'disabled'] as const) {
      expect(lifecycleTransitions[state].downloadAttempt).toEqual([state]);
    }
  });
});

describe('canTransition', () => {
  it('answers exactly from the table for every state and event', () => {
    for (const state of profileStates) {
      for (const event of lifecycleEventTypes) {
        expect(canTransition(state, event)).toBe(lifecycleTransitions[state][event] !== undefined);
      }
    }
    expect(canTransition('enabled', 'disable')).toBe(true);
    expect(canTransition('deleted', 'enable')).toBe(false);
  });
});
