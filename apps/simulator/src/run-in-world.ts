import type { CarrierWorld } from './model/carrier-world.ts';
import { runCommands } from './model/run-commands.ts';
import { setUpRun } from './model/set-up-run.ts';
import type { SimulationCommand } from './model/simulation-command.ts';
import type { ResolvedRunOptions } from './run-options.ts';
import type { RunStats, RunVerdict } from './run-verdict.ts';

/** A world one run owns from start to close. */
export interface RunWorld extends CarrierWorld {
  close(): Promise<void>;
}

/** How a kind of run gets its world: the one thing a simulated and a real-socket run differ in. */
export interface WorldOfRun<W extends RunWorld> {
  /** Starts the world: the carrier (or the way to it), a client and a webhook receiver. */
  start(): Promise<W>;
  /** Makes a started world fresh: an empty carrier at the start of the run's window. */
  freshen?(world: W): Promise<void>;
  /** The world's clock in ms, for the run's elapsed time. */
  now(): number;
  /** What the world counted; a world that cannot count something says 0. */
  counted(world: W): Pick<RunStats, 'requests' | 'crashes'>;
}

/**
 * One run in a world: the world started and made fresh, the run's receiver subscribed and the
 * model set up, the commands and the full check, then the world closed however the run ended.
 */
export async function runInWorld<W extends RunWorld>(
  worldOfRun: WorldOfRun<W>,
  run: ResolvedRunOptions,
  seed: number,
  commands: Iterable<SimulationCommand>,
): Promise<RunVerdict> {
  const startedAt = worldOfRun.now();
  const world = await worldOfRun.start();
  try {
    if (worldOfRun.freshen) await worldOfRun.freshen(world);
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
        ...worldOfRun.counted(world),
        elapsedMs: worldOfRun.now() - startedAt,
      },
    };
  } finally {
    await world.close();
  }
}
