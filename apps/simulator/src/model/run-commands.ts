import fc from 'fast-check';
import type { CarrierWorld } from './carrier-world.ts';
import { finalCheck } from './final-check.ts';
import { steadily } from './internal/world-calls.ts';
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
      return [...error.violations, ...(await auditNow(model, world))];
    }
    throw error;
  }
  return finalCheck(model, world);
}

/**
 * What the carrier's audit says at the moment a cheap invariant broke: a balance out of range
 * is the symptom, the audit names the money behind it (a second capture for one intent, a
 * capture never credited). Best effort: a carrier that cannot answer adds nothing.
 */
async function auditNow(
  model: SimulationModel,
  world: CarrierWorld,
): Promise<SimulationViolation[]> {
  try {
    const audit = await steadily(world, () =>
      world.client.sim.audit({ intents: model.intents.map((i) => i.intent) }),
    );
    return audit.violations.map((v) => ({
      kind: v.kind,
      message: v.message,
      intentIds: v.evidence.intentIds,
    }));
  } catch {
    return [];
  }
}
