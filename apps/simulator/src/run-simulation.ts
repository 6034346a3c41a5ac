import { carrierProfiles } from '@esimlab/domain';
import { runWindowStart, SIMULATION_EPOCH } from './model/run-window.ts';
import type { SimulationCommand } from './model/simulation-command.ts';
import { runInWorld } from './run-in-world.ts';
import { resolveRunOptions, type SimulationRunOptions } from './run-options.ts';
import type { RunVerdict } from './run-verdict.ts';
import { VirtualClock } from './virtual-time/virtual-clock.ts';
import { SimulatedWorld } from './worlds/simulated-world.ts';

/**
 * One deterministic run: a fresh carrier in this process on virtual time, the commands run
 * against it and the model, then the full check. The same options, seed and commands give
 * the same verdict, request for request.
 */
export async function runSimulation(
  options: SimulationRunOptions,
  seed: number,
  commands: Iterable<SimulationCommand>,
): Promise<RunVerdict> {
  const run = resolveRunOptions(options);
  // A new carrier on a new clock is fresh already, and starts in the run's window.
  const clock = new VirtualClock(
    runWindowStart(carrierProfiles[run.carrier].timeZone, SIMULATION_EPOCH),
  );
  return clock.drive(
    () =>
      runInWorld(
        {
          start: () =>
            SimulatedWorld.start({
              clock,
              carrier: run.carrier,
              apiStyle: run.apiStyle,
              seed,
              strategy: run.strategy,
              retry: run.retry,
              receiverDedupe: run.receiverDedupe,
              createCarrierApp: run.carrierBuild.create,
            }),
          now: () => clock.now(),
          counted: (world) => ({
            requests: world.transport.requests,
            crashes: world.simulatedCarrier.crashes.length,
          }),
        },
        run,
        seed,
        commands,
      ),
    // A run fires tens of timers; this many means something retries forever.
    { maxTimers: MAX_TIMERS_PER_RUN },
  );
}

const MAX_TIMERS_PER_RUN = 50_000;
