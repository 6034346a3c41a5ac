import type { CrashPoint } from '@esimlab/client';
import type { CarrierWorld } from '../carrier-world.ts';
import { steadily } from '../internal/world-calls.ts';
import { checkBalances } from '../invariants.ts';
import type { SimulationCommand } from '../simulation-command.ts';
import type { SimulationModel } from '../simulation-model.ts';

/** Now (`kill`: the process dies between requests) or at a saga step of a later purchase. */
export type CrashMode =
  | { readonly mode: 'kill' }
  | { readonly mode: 'point'; readonly point: CrashPoint };

/**
 * The carrier crashes and restarts: killed at once, or armed to die at a payment saga step
 * (`POST /_sim/crash-points`) the next purchase reaches. Start-up recovery must finish or
 * undo every interrupted payment; balances must stay in range across the restart.
 */
export class CrashCarrierCommand implements SimulationCommand {
  constructor(readonly crash: CrashMode) {}

  check(model: Readonly<SimulationModel>): boolean {
    return model.faultKinds.includes('crash');
  }

  async run(model: SimulationModel, world: CarrierWorld): Promise<void> {
    model.running = { command: String(this), line: model.timeline.length };
    if (this.crash.mode === 'kill') {
      await world.kill();
      model.timeline.push(String(this));
      await checkBalances(model, world);
      return;
    }
    const { point } = this.crash;
    await steadily(world, () => world.client.sim.armCrashPoint(point));
    model.crashPossible = true;
    model.timeline.push(String(this));
  }

  toString(): string {
    return this.crash.mode === 'kill'
      ? 'CrashCarrier(kill now)'
      : `CrashCarrier(at ${this.crash.point})`;
  }
}
