import type { CarrierWorld } from '../carrier-world.ts';
import { assertAppliedOnce, deliveriesOf, resend } from '../internal/webhook-support.ts';
import { pick, type SimulationCommand } from '../simulation-command.ts';
import type { SimulationModel } from '../simulation-model.ts';

/**
 * An event the receiver already has arrives again (delivery is at least once): the carrier
 * resends a delivered delivery. A correct receiver answers 200 and does not apply it twice.
 */
export class DuplicateWebhookCommand implements SimulationCommand {
  constructor(readonly deliveryIndex: number) {}

  check(model: Readonly<SimulationModel>): boolean {
    return model.esims.length > 0;
  }

  async run(model: SimulationModel, world: CarrierWorld): Promise<void> {
    model.running = { command: String(this), line: model.timeline.length };
    const delivered = (await deliveriesOf(model, world)).filter((d) => d.status === 'delivered');
    if (delivered.length === 0) {
      model.timeline.push(`${this} → nothing delivered yet`);
      return;
    }
    const copy = pick(delivered, this.deliveryIndex);
    await resend(world, [copy]);
    model.timeline.push(`${this} → ${copy.type} ${copy.eventId} again`);
    assertAppliedOnce(world);
  }

  toString(): string {
    return `DuplicateWebhook(${this.deliveryIndex})`;
  }
}
