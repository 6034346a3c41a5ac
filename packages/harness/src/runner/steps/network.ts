import type { FaultRuleInput } from '@esimlab/client';
import type { StepOf } from '../../scenarios/scenario-schema.ts';
import type { ScenarioWorld } from '../scenario-world.ts';

/** `config`: the carrier's API style or async completion delay. */
export async function configureCarrier(
  world: ScenarioWorld,
  step: StepOf<'config'>,
): Promise<string> {
  await world.client.sim.updateConfig({
    ...(step.apiStyle === undefined ? {} : { apiStyle: step.apiStyle }),
    ...(step.asyncCompletionMs === undefined ? {} : { asyncCompletionMs: step.asyncCompletionMs }),
  });
  return `config ${JSON.stringify(step)}`;
}

/** `faults`: arms a preset and/or rules after the ones already armed (`clear` first empties the list). */
export async function armFaults(world: ScenarioWorld, step: StepOf<'faults'>): Promise<string> {
  const { sim } = world.client;
  const done: string[] = [];
  if (step.clear) {
    await sim.clearFaults();
    done.push('cleared');
  }
  if (step.preset !== undefined) {
    await sim.applyFaultPreset(step.preset, { append: true });
    done.push(`preset ${step.preset}`);
  }
  for (const rule of (step.rules ?? []) as unknown as FaultRuleInput[]) {
    await sim.addFault(rule);
    const on =
      rule.match?.path === undefined ? '' : ` on ${rule.match.method ?? ''} ${rule.match.path}`;
    done.push(
      `${rule.kind}${on.replace('  ', ' ')}${rule.times === undefined ? '' : ` ×${rule.times}`}`,
    );
  }
  return `faults: ${done.join(', ') || 'nothing'}`;
}

/** `crash`: the carrier process exits at this saga point once; its launcher restarts it. */
export async function armCrashPoint(world: ScenarioWorld, step: StepOf<'crash'>): Promise<string> {
  await world.client.sim.armCrashPoint(step.point);
  world.crashArmed = true;
  return `crash armed at ${step.point}`;
}
