import { type CarrierId, carrierProfiles } from '@esimlab/domain';
import { FaultPlan, type FaultRule } from '@esimlab/faults';
import { openMemoryStore, type Store } from '@esimlab/store';
import { describe, expect, it } from 'vitest';
import { writeSettings } from '../features/settings/carrier-settings.ts';
import { carrierMigrations } from '../persistence/collections.ts';
import { TestClock } from '../runtime/clock.ts';
import { CrashPointSwitch } from '../runtime/crash-points.ts';
import { timerScheduler } from '../runtime/scheduler.ts';
import { SharedState } from './shared-state.ts';

const profile = carrierProfiles['att' satisfies CarrierId];
const rule = (id: string, path: string): FaultRule => ({
  id,
  kind: 'timeout',
  probability: 1,
  match: { path },
  params: {},
});

/** One replica's view of a store another replica writes to, through `write`. */
async function replicaOn(store?: Store) {
  const shared = store ?? (await openMemoryStore({ migrations: carrierMigrations }));
  const clock = new TestClock(() => 1_800_000_000_000);
  const faults = new FaultPlan({ seed: 1 });
  const scheduler = timerScheduler(() => {});
  const crashPoints = new CrashPointSwitch();
  const state = new SharedState({ store: shared, clock, faults, scheduler, crashPoints, profile });
  const write = (change: Parameters<typeof writeSettings>[2]) =>
    shared.transaction((tx) => writeSettings(tx, { profile }, change));
  return { store: shared, clock, faults, scheduler, crashPoints, state, write };
}

describe('SharedState', () => {
  it('applies the clock offset and fault rules another replica stored, on the next refresh', async () => {
    const r = await replicaOn();
    await r.write({ clockOffsetMs: 86_400_000, faults: { seed: 9, rules: [rule('a', '/x')] } });
    expect(r.clock.offsetMs).toBe(0);
    await r.state.refresh();
    expect(r.clock.offsetMs).toBe(86_400_000);
    expect(r.faults.seed).toBe(9);
    expect(r.faults.rules().map((x) => x.id)).toEqual(['a']);
  });

  it('keeps the counters of the rules both lists hold when another replica appends or removes one', async () => {
    const r = await replicaOn();
    await r.write({
      faults: { seed: 1, rules: [rule('a', '/x'), rule('b', '/y')], generation: 1 },
    });
    await r.state.refresh();
    r.faults.roll('a');
    r.faults.roll('a');
    await r.write({
      faults: { seed: 1, rules: [rule('a', '/x'), rule('c', '/z')], generation: 1 },
    });
    await r.state.refresh();
    expect(r.faults.list().map((x) => [x.id, x.counters.matched])).toEqual([
      ['a', 2],
      ['c', 0],
    ]);
  });

  it('starts every counter over when another replica replaced the rules', async () => {
    const r = await replicaOn();
    await r.write({ faults: { seed: 1, rules: [rule('a', '/x')], generation: 1 } });
    await r.state.refresh();
    r.faults.roll('a');
    await r.write({ faults: { seed: 1, rules: [rule('a', '/x')], generation: 2 } });
    await r.state.refresh();
    expect(r.faults.list()[0]?.counters.matched).toBe(0);
  });

  it('ignores a record older than one it already applied', async () => {
    const r = await replicaOn();
    r.state.apply({ ...(await r.write({ clockOffsetMs: 5 })), revision: 7 });
    r.state.apply({ ...(await r.write({ clockOffsetMs: 3 })), revision: 6 });
    expect(r.clock.offsetMs).toBe(5);
  });

  it('drops its own pending work and crash points when another replica resets the carrier', async () => {
    const r = await replicaOn();
    await r.write({ resets: 0 });
    await r.state.refresh();
    let ran = false;
    r.scheduler.schedule(50, () => {
      ran = true;
    });
    r.crashPoints.arm('after-credit');
    await r.write({ resets: 1 });
    await r.state.refresh();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ran).toBe(false);
    expect(r.crashPoints.armed()).toEqual([]);
  });

  it('shares reads among concurrent refreshes, and each sees what was stored before it was called', async () => {
    const inner = await openMemoryStore({ migrations: carrierMigrations });
    let reads = 0;
    let gate: Promise<void> = Promise.resolve();
    // The real store, with each answer held at a gate the test opens: a slow round trip.
    const slow: Store = {
      kind: inner.kind,
      transaction: async (work) => {
        reads++;
        const value = await inner.transaction(work);
        await gate;
        return value;
      },
      close: () => inner.close(),
    };
    const r = await replicaOn(slow);
    let open!: () => void;
    gate = new Promise((resolve) => {
      open = resolve;
    });
    // The first read has happened (offset 0) but not yet answered when the offset changes.
    const first = r.state.refresh();
    await new Promise((resolve) => setTimeout(resolve, 10));
    await inner.transaction((tx) => writeSettings(tx, { profile }, { clockOffsetMs: 42 }));
    const later = Array.from({ length: 10 }, () => r.state.refresh());
    open();
    await Promise.all([first, ...later]);
    expect(reads).toBe(2);
    expect(r.clock.offsetMs).toBe(42);
  });
});
