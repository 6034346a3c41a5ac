import type { CarrierWorld } from '../carrier-world.ts';
import { steadily } from '../internal/world-calls.ts';
import type { SimulationCommand } from '../simulation-command.ts';
import type { SimulationModel } from '../simulation-model.ts';

/**
 * The network heals: every fault rule is removed and every armed crash point disarmed. From
 * here on the client must learn the outcome of every purchase again.
 */
export class DisarmFaultsCommand implements SimulationCommand {
  check(model: Readonly<SimulationModel>): boolean {
    return model.httpFaults + model.webhookFaults > 0 || model.crashPossible;
  }

  async run(model: SimulationModel, world: CarrierWorld): Promise<void> {
    model.running = { command: String(this), line: model.timeline.length };
    if (model.httpFaults + model.webhookFaults > 0) {
      await steadily(world, () => world.client.sim.clearFaults());
    }
    if (model.crashPossible) await steadily(world, () => world.client.sim.disarmCrashPoints());
    model.httpFaults = 0;
    model.webhookFaults = 0;
    model.crashPossible = false;
    model.timeline.push(String(this));
  }

  toString(): string {
    return 'DisarmFaults';
  }
}
