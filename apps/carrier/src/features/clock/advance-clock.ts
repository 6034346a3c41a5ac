import type { EpochMillis } from '@esimlab/domain';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { takeDuty } from '../../replication/replica-duty.ts';
import { readSettings, writeSettings } from '../settings/carrier-settings.ts';
import { exclusiveClockWork } from './clock-work-queue.ts';
import { dueJobs } from './due-jobs.ts';
import { runDueWork } from './due-work.ts';

export interface ClockReading {
  readonly now: EpochMillis;
  readonly offsetMs: number;
}

/** Names the duty of running due work as wall time passes, which one replica at a time has. */
export const WALL_TIME_DUE_WORK = 'wall-time-due-work';

/**
 * Moves the carrier's clock forward by `ms`, persists the offset (a restart, and every other
 * replica, see it), and resolves once everything that fell due up to the new time has run.
 * The offset grows from the stored one, so advances sent to two replicas at once add up.
 */
export function advanceClock(context: CarrierContext, ms: number): Promise<ClockReading> {
  return exclusiveClockWork(context, async () => {
    const { clock } = context;
    const { from, written } = await context.store.transaction(async (tx) => {
      const settings = await readSettings(tx, context);
      return {
        // The window starts where the last run ended, so work that fell due in wall time
        // between two advances is not skipped; the first run after a reset starts at the epoch.
        from: settings.dueWorkThroughMs ?? 0,
        written: await writeSettings(tx, context, {
          clockOffsetMs: settings.clockOffsetMs + ms,
        }),
      };
    });
    context.sharedState.apply(written);
    await runDueWorkThroughNow(context, from, written.resets ?? 0);
    return { now: clock.now(), offsetMs: clock.offsetMs };
  });
}

/**
 * Runs the work that fell due as wall time passed since the last run (a renewal at local
 * midnight happens even if nobody advances the clock). The carrier process calls it on a
 * timer; it queues behind clock advances and resets like they do. Among replicas only the one
 * holding the duty runs it; any replica's clock advance still runs what it made due.
 */
export function runWallTimeDueWork(context: CarrierContext): Promise<void> {
  return exclusiveClockWork(context, async () => {
    if (context.replica.shared) {
      if (!(await takeDuty(context, WALL_TIME_DUE_WORK))) return;
      // The window ends at this replica's now: it must include every advance made elsewhere.
      await context.sharedState.refresh();
    }
    const { from, resets } = await context.store.transaction(async (tx) => {
      const settings = await readSettings(tx, context);
      return { from: settings.dueWorkThroughMs ?? 0, resets: settings.resets ?? 0 };
    });
    await runDueWorkThroughNow(context, from, resets);
  });
}

/**
 * Runs due work over (from, now] and records how far it got. Due jobs are idempotent, so
 * replicas' windows may overlap; the mark only moves forward, and not at all if the carrier
 * was reset meanwhile (the window belonged to the state the reset wiped).
 */
async function runDueWorkThroughNow(
  context: CarrierContext,
  from: EpochMillis,
  resets: number,
): Promise<void> {
  const to = context.clock.now();
  await runDueWork(context, { from, to }, dueJobs);
  const written = await context.store.transaction(async (tx) => {
    const settings = await readSettings(tx, context);
    if ((settings.resets ?? 0) !== resets || (settings.dueWorkThroughMs ?? 0) >= to) {
      return undefined;
    }
    return writeSettings(tx, context, { dueWorkThroughMs: to });
  });
  if (written) context.sharedState.apply(written);
}
