import type { EpochMillis } from '@esimlab/domain';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { readSettings, writeSettings } from '../settings/carrier-settings.ts';
import { exclusiveClockWork } from './clock-work-queue.ts';
import { dueJobs } from './due-jobs.ts';
import { runDueWork } from './due-work.ts';

export interface ClockReading {
  readonly now: EpochMillis;
  readonly offsetMs: number;
}

/**
 * Moves the carrier's clock forward by `ms`, persists the offset (a restart keeps it), and
 * resolves once everything that fell due up to the new time has run.
 */
export function advanceClock(context: CarrierContext, ms: number): Promise<ClockReading> {
  return exclusiveClockWork(context, async () => {
    const { clock } = context;
    const from = await context.store.transaction(async (tx) => {
      const settings = await readSettings(tx, context);
      await writeSettings(tx, context, { clockOffsetMs: clock.offsetMs + ms });
      // The window starts where the last run ended, so work that fell due in wall time
      // between two advances is not skipped; the first run after a reset starts at the epoch.
      return settings.dueWorkThroughMs ?? 0;
    });
    clock.advance(ms);
    await runDueWorkThroughNow(context, from);
    return { now: clock.now(), offsetMs: clock.offsetMs };
  });
}

/**
 * Runs the work that fell due as wall time passed since the last run (a renewal at local
 * midnight happens even if nobody advances the clock). The carrier process calls it on a
 * timer; it queues behind clock advances and resets like they do.
 */
export function runWallTimeDueWork(context: CarrierContext): Promise<void> {
  return exclusiveClockWork(context, async () => {
    const from = await context.store.transaction(
      async (tx) => (await readSettings(tx, context)).dueWorkThroughMs ?? 0,
    );
    await runDueWorkThroughNow(context, from);
  });
}

async function runDueWorkThroughNow(context: CarrierContext, from: EpochMillis): Promise<void> {
  const to = context.clock.now();
  await runDueWork(context, { from, to }, dueJobs);
  await context.store.transaction((tx) => writeSettings(tx, context, { dueWorkThroughMs: to }));
}
