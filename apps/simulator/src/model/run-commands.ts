import fc from 'fast-check';
import type { CarrierWorld } from './carrier-world.ts';
import { finalCheck } from './final-check.ts';
import type { SimulationCommand } from './simulation-command.ts';
import type { SimulationModel } from './simulation-model.ts';
import { ModelViolationError, type SimulationViolation } from './simulation-violation.ts';

/**
 * Runs the commands through fast-check's model runner, then the full check. A cheap
 * invariant that breaks stops the run there: its violation is the verdict.
 */
export async function runCommands(
  model: SimulationModel,
  world: CarrierWorld,
  commands: Iterable<SimulationCommand>,
): Promise<SimulationViolation[]> {
  try {
    await fc.asyncModelRun(() => ({ model, real: world }), commands);
  } catch (error) {
    if (error instanceof ModelViolationError) {
      const broken = `✗ ${error.violations.map((v) => v.kind).join(', ')}`;
      const { running } = model;
      const logged = running === undefined ? undefined : model.timeline[running.line];
      // The command may have logged what it did before its check found the violation.
      if (running !== undefined && logged !== undefined) {
        model.timeline[running.line] = `${logged} → ${broken}`;
      } else {
        model.timeline.push(`${running?.command ?? 'setup'} → ${broken}`);
      }
      return [...error.violations];
    }
    throw error;
  }
  return finalCheck(model, world);
}
