import fc from 'fast-check';
import type { SimulationCommand } from '../model/simulation-command.ts';
import { type FaultLimits, simulationCommands } from '../model/simulation-commands.ts';
import { addonsOf } from '../model/simulation-model.ts';
import { resolveRunOptions, type SimulationRunOptions } from '../run-options.ts';
import { runSimulation } from '../run-simulation.ts';
import type { RunVerdict } from '../run-verdict.ts';
import { formatFailure } from './failure-report.ts';
import { type ReplayPoint, replayCommandOf } from './replay-command.ts';
import { SimulationFailure } from './simulation-failure.ts';

/** The longest run: "runs of up to 30 commands". */
export const MAX_COMMANDS = 30;

/** Runs one list of commands; default `runSimulation` (in-process, virtual time). */
export type RunCommands = (
  options: SimulationRunOptions,
  seed: number,
  commands: Iterable<SimulationCommand>,
) => Promise<RunVerdict>;

export interface PropertyOptions {
  /** Default `MAX_COMMANDS`. */
  readonly maxCommands?: number;
  /** Where the commands run; default the simulation. */
  readonly runner?: RunCommands;
  /** Bounds on what faults may cost in time; default the simulation's. */
  readonly faultLimits?: FaultLimits;
  /** `fc.commands`' replay hint, from a failure's replay command. */
  readonly replayPath?: string;
  /**
   * Told about every run as it ends (progress, statistics), with its verdict, or undefined
   * when the run itself threw (a stalled or runaway simulation).
   */
  readonly onRun?: (verdict: RunVerdict | undefined) => void;
}

export type SimulationInput = [seed: number, commands: Iterable<SimulationCommand>];

/**
 * The model-based property of one kind of run: for any seed and any list of up to 30
 * commands, the run's verdict is ok. Runs are deterministic, so fast-check's seed and path
 * replay one exactly.
 */
export function simulationProperty(
  options: SimulationRunOptions,
  property: PropertyOptions = {},
): fc.IAsyncPropertyWithHooks<SimulationInput> {
  const run = resolveRunOptions(options);
  const commands = fc.commands(
    [
      simulationCommands({
        addons: addonsOf(run.carrier, run.addonKinds).length,
        faultKinds: run.faultKinds,
        paymentMethods: run.paymentMethods,
        ...(property.faultLimits === undefined ? {} : { limits: property.faultLimits }),
      }),
    ],
    {
      maxCommands: property.maxCommands ?? MAX_COMMANDS,
      size: 'max',
      ...(property.replayPath === undefined ? {} : { replayPath: property.replayPath }),
    },
  );
  return fc.asyncProperty(
    fc.nat({ max: 0x7fffffff }),
    commands,
    async (seed, list): Promise<void> => {
      let verdict: RunVerdict | undefined;
      try {
        verdict = await (property.runner ?? runSimulation)(options, seed, list);
      } finally {
        property.onRun?.(verdict);
      }
      if (!verdict.ok) throw new SimulationFailure(verdict);
    },
  );
}

export interface SimulationCheckOptions extends PropertyOptions {
  readonly numRuns: number;
  /** Starts no run after this long; fast-check's `interruptAfterTimeLimit`. Default: no limit. */
  readonly timeLimitMs?: number;
  /** fast-check's seed; default random. */
  readonly seed?: number;
  /** Replays this counterexample path (with `seed`). */
  readonly path?: string;
  /** Default false: a failure is shrunk to a minimal counterexample first. */
  readonly endOnFailure?: boolean;
}

export interface SimulationCheck {
  readonly failed: boolean;
  /** The time limit stopped it before `numRuns`. */
  readonly interrupted: boolean;
  /** Runs that passed (for a failure: up to and including the first failing one). */
  readonly numRuns: number;
  readonly seed: number;
  /** What failed, shrunk: a report to print, with the one-line command that replays it. */
  readonly failure?: {
    readonly report: string;
    readonly replayCommand: string;
    /** fast-check's seed and path, and the commands' replay hint: what replays it. */
    readonly point: ReplayPoint;
    readonly verdict: RunVerdict | undefined;
  };
}

/** Checks the property for `numRuns` runs and, on a failure, describes its shrunk counterexample. */
export async function checkSimulation(
  options: SimulationRunOptions,
  check: SimulationCheckOptions,
): Promise<SimulationCheck> {
  const details = await fc.check(simulationProperty(options, check), {
    numRuns: check.numRuns,
    ...(check.seed === undefined ? {} : { seed: check.seed }),
    ...(check.path === undefined ? {} : { path: check.path }),
    ...(check.endOnFailure === undefined ? {} : { endOnFailure: check.endOnFailure }),
    ...(check.timeLimitMs === undefined
      ? {}
      : { plugins: [fc.interruptAfterTimeLimit(check.timeLimitMs)] }),
  });
  const result = {
    failed: details.failed && details.counterexample !== null,
    interrupted: details.interrupted,
    numRuns: details.numRuns,
    seed: details.seed,
  };
  if (!details.failed || details.counterexample === null) return result;
  const [runSeed, commands] = details.counterexample as SimulationInput;
  const replayPath = /replayPath="([^"]*)"/.exec(fc.stringify(commands))?.[1];
  const point: ReplayPoint = {
    seed: details.seed,
    path: details.counterexamplePath,
    ...(replayPath === undefined ? {} : { replayPath }),
  };
  const replayCommand = replayCommandOf(resolveRunOptions(options), point);
  const verdict =
    details.errorInstance instanceof SimulationFailure ? details.errorInstance.verdict : undefined;
  return {
    ...result,
    failure: {
      replayCommand,
      point,
      verdict,
      report: formatFailure({
        options: resolveRunOptions(options),
        runSeed,
        commands: String(commands),
        error: details.errorInstance,
        verdict,
        fastCheck: {
          seed: details.seed,
          path: details.counterexamplePath,
          shrinks: details.numShrinks,
        },
        replayCommand,
      }),
    },
  };
}
