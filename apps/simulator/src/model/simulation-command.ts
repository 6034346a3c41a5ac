import type { AsyncCommand } from 'fast-check';
import type { CarrierWorld } from './carrier-world.ts';
import type { SimulationModel } from './simulation-model.ts';

/** One step of a run: `check` says whether it applies to the model, `run` does it and checks. */
export type SimulationCommand = AsyncCommand<SimulationModel, CarrierWorld>;

/** The eSIM a command's index picks among those activated (there is one when `check` holds). */
export function pick<T>(items: readonly T[], index: number): T {
  const item = items[index % items.length];
  if (item === undefined) throw new Error('pick from an empty list; check() must rule this out');
  return item;
}
