import type { RetryPolicy } from '@esimlab/client';
import { carrierProfiles } from '@esimlab/domain';
import { runWindowStart } from '../model/run-window.ts';
import type { SimulationCommand } from '../model/simulation-command.ts';
import type { FaultLimits } from '../model/simulation-commands.ts';
import { runInWorld } from '../run-in-world.ts';
import { resolveRunOptions, type SimulationRunOptions } from '../run-options.ts';
import type { RunVerdict } from '../run-verdict.ts';
import { RealSocketWorld } from '../worlds/real-socket-world.ts';
import type { RealCarrier } from './real-carrier.ts';

/**
 * The client's retry policy on a real socket, where every wait is real: short backoffs and
 * deadlines, and a settle interval that still outlasts any purchase in flight (real-socket
 * runs use no slow card and keep latency faults under `realSocketFaultLimits`).
 */
export const realSocketRetry: Partial<RetryPolicy> = {
  baseDelayMs: 20,
  maxDelayMs: 200,
  // Long enough that a busy machine does not pass for a fault.
  attemptTimeoutMs: 2_000,
  asyncDeadlineMs: 4_000,
  settleMs: 1_000,
};

/** How soon an accepted `async` top-up completes on a real carrier (its default is 1 s). */
export const REAL_SOCKET_ASYNC_COMPLETION_MS = 200;

/** Faults that cost little real time. */
export const realSocketFaultLimits: FaultLimits = {
  maxLatencyMs: 200,
  maxSlowBodyMs: 300,
  maxWebhookDelayMs: 300,
};

/**
 * One run of the same model and commands against a real carrier process over HTTP: reset,
 * the clock moved to the run's Wednesday morning, the commands, the full check. It shows the
 * simulation is faithful: what passes there passes here.
 */
export async function runOnRealCarrier(
  real: RealCarrier,
  options: SimulationRunOptions,
  seed: number,
  commands: Iterable<SimulationCommand>,
): Promise<RunVerdict> {
  const run = resolveRunOptions({ retry: realSocketRetry, ...options, carrier: real.carrier });
  return runInWorld(
    {
      start: () =>
        RealSocketWorld.start({
          carrier: real,
          apiStyle: run.apiStyle,
          seed,
          strategy: run.strategy,
          retry: run.retry,
          receiverDedupe: run.receiverDedupe,
        }),
      freshen: async (world) => {
        // The process outlives runs: empty it, and forget errors logged before this run.
        await world.whenUp();
        await world.client.sim.reset();
        real.takeErrors();
        const now = await world.carrierNow();
        const start = runWindowStart(carrierProfiles[run.carrier].timeZone, now);
        if (start > now) {
          await world.client.sim.advanceClock({ by: `PT${((start - now) / 1000).toFixed(3)}S` });
        }
        await world.client.sim.updateConfig({ asyncCompletionMs: REAL_SOCKET_ASYNC_COMPLETION_MS });
      },
      now: () => performance.now(),
      // Requests go over real HTTP, where no simulated network counts them; kills are not counted.
      counted: () => ({ requests: 0, crashes: 0 }),
    },
    run,
    seed,
    commands,
  );
}
