import { carrierProfiles } from '@esimlab/domain';
import { runCommands } from './model/run-commands.ts';
import { runWindowStart, SIMULATION_EPOCH } from './model/run-window.ts';
import { setUpRun } from './model/set-up-run.ts';
import type { SimulationCommand } from './model/simulation-command.ts';
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
  const startedAt = runWindowStart(carrierProfiles[run.carrier].timeZone, SIMULATION_EPOCH);
  const clock = new VirtualClock(startedAt);
  return clock.drive(
    async () => {
      const world = await SimulatedWorld.start({
        clock,
        carrier: run.carrier,
        apiStyle: run.apiStyle,
        seed,
        strategy: run.strategy,
        retry: run.retry,
        receiverDedupe: run.receiverDedupe,
        createCarrierApp: run.carrierBuild.create,
      });
      try {
        const model = await setUpRun(world, run.faultKinds, run.addonKinds);
        const violations = await runCommands(model, world, commands);
        return {
          ok: violations.length === 0,
          seed,
          violations,
          timeline: model.timeline,
          stats: {
            commands: model.timeline.length,
            intents: {
              ok: model.intents.filter((i) => i.status === 'ok').length,
              failed: model.intents.filter((i) => i.status === 'failed').length,
              unknown: model.intents.filter((i) => i.status === 'unknown').length,
            },
            requests: world.transport.requests,
            crashes: world.simulatedCarrier.crashes.length,
            elapsedMs: clock.now() - startedAt,
          },
        };
      } finally {
        await world.close();
      }
    },
    // A run fires tens of timers; this many means something retries forever.
    { maxTimers: MAX_TIMERS_PER_RUN },
  );
}

const MAX_TIMERS_PER_RUN = 50_000;
