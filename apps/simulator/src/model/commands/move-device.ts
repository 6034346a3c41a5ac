import type { CarrierWorld } from '../carrier-world.ts';
import { steadily } from '../internal/world-calls.ts';
import { pick, type SimulationCommand } from '../simulation-command.ts';
import {
  expectedSignal,
  type Place,
  placeLocations,
  type SimulationModel,
} from '../simulation-model.ts';
import { violated } from '../simulation-violation.ts';

/** A phone travels: into the Radio Quiet Zone (no signal, so no data) or back to the city. */
export class MoveDeviceCommand implements SimulationCommand {
  constructor(
    readonly esimIndex: number,
    readonly place: Place,
  ) {}

  check(model: Readonly<SimulationModel>): boolean {
    return model.esims.length > 0;
  }

  async run(model: SimulationModel, world: CarrierWorld): Promise<void> {
    model.running = { command: String(this), line: model.timeline.length };
    const esim = pick(model.esims, this.esimIndex);
    const device = await steadily(world, () =>
      world.client.sim.updateDevice(esim.eid, { location: placeLocations[this.place] }),
    );
    if (device.signal !== expectedSignal[this.place]) {
      violated(
        'unexpected_outcome',
        `device ${esim.eid} moved to ${this.place} shows ${device.signal} signal; expected ${expectedSignal[this.place]}`,
      );
    }
    esim.place = this.place;
    model.timeline.push(`${this} → ${esim.label} ${device.signal} signal`);
  }

  toString(): string {
    return `MoveDevice(esim ${this.esimIndex}, ${this.place})`;
  }
}
