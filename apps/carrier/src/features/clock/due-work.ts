import type { EpochMillis } from '@esimlab/domain';
import type { CarrierContext } from '../../app/carrier-context.ts';

/** Simulated time in which work fell due: after `from`, up to and including `to`. */
export interface DueWindow {
  readonly from: EpochMillis;
  readonly to: EpochMillis;
}

/**
 * Work that falls due as simulated time passes (expiry, renewals, async completions,
 * webhook retries). A job must be idempotent: after a crash the next run may see an
 * overlapping window, and the first run after a reset starts at the epoch.
 */
export interface DueJob {
  /** Names the job in logs. */
  readonly name: string;
  run(context: CarrierContext, window: DueWindow): Promise<void>;
}

/**
 * Runs every job over the window, one after another in the given order (a renewal must run
 * before the expiry it prevents), then waits until no background task is left.
 */
export async function runDueWork(
  context: CarrierContext,
  window: DueWindow,
  jobs: readonly DueJob[],
): Promise<void> {
  for (const job of jobs) {
    context.logger.debug({ job: job.name, ...window }, 'running due work');
    await job.run(context, window);
  }
  await context.scheduler.idle();
}
