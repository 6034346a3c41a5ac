import type { CarrierWorld } from '../carrier-world.ts';
import { steadily } from '../internal/world-calls.ts';
import { checkBalances } from '../invariants.ts';
import type { SimulationCommand } from '../simulation-command.ts';
import {
  credit,
  creditsOf,
  type EsimModel,
  placeLocations,
  type SimulationModel,
} from '../simulation-model.ts';
import { violated } from '../simulation-violation.ts';

/** A run keeps to a few eSIMs: more would only make every check longer. */
export const MAX_ESIMS = 3;

/**
 * A subscriber orders an eSIM on the carrier's base plan, and a phone in the city downloads
 * it (which enables it and starts the plan): the model credits the plan's data.
 */
export class ActivateEsimCommand implements SimulationCommand {
  check(model: Readonly<SimulationModel>): boolean {
    return model.esims.length < MAX_ESIMS;
  }

  async run(model: SimulationModel, world: CarrierWorld): Promise<void> {
    model.running = { command: String(this), line: model.timeline.length };
    const label = `e${model.esims.length + 1}`;
    const at = await world.carrierNow();
    const ordered = await steadily(world, () =>
      world.client.createEsim(
        {
          planId: model.basePlan.id,
          paymentMethod: 'pm_card_visa',
          subscriber: {
            name: `Subscriber ${label}`,
            email: `${label}@example.com`,
            timeZone: model.profile.timeZone,
          },
        },
        // Safe to repeat should the carrier restart under it.
        { idempotencyKey: `activate-${label}` },
      ),
    );
    const device = await steadily(world, () =>
      world.client.sim.createDevice({ location: placeLocations.metro, wifi: true }),
    );
    const installed = await steadily(world, () =>
      world.client.lpaDownload({ eid: device.eid, activationCode: ordered.activationCode }),
    );
    if (installed.iccid !== ordered.iccid || installed.state !== 'enabled') {
      violated(
        'unexpected_outcome',
        `downloading eSIM ${ordered.iccid} gave ${installed.iccid} in state ${installed.state}; expected it enabled`,
      );
    }
    const esim: EsimModel = {
      label,
      iccid: ordered.iccid,
      eid: device.eid,
      place: 'metro',
      creditedBytes: 0,
      usedBytes: 0,
      ledger: [],
      uncertain: false,
    };
    model.esims.push(esim);
    credit(model, esim, creditsOf(model.profile, model.basePlan, at), `order-${label}`);
    model.timeline.push(`${this} → ${esim.iccid} on ${device.eid}`);
    await checkBalances(model, world, [esim]);
  }

  toString(): string {
    return 'ActivateEsim';
  }
}
