import type { CarrierWorld } from '../carrier-world.ts';
import { assertAppliedOnce, deliveriesOf, resend } from '../internal/webhook-support.ts';
import type { SimulationCommand } from '../simulation-command.ts';
import type { SimulationModel } from '../simulation-model.ts';

/**
 * Events arrive out of order: the newest `count` delivered events are sent again, newest
 * first, so the receiver sees a later state before an earlier one.
 */
export class ReorderWebhooksCommand implements SimulationCommand {
  constructor(readonly count: number) {}

  check(model: Readonly<SimulationModel>): boolean {
    return model.esims.length > 0;
  }

  async run(model: SimulationModel, world: CarrierWorld): Promise<void> {
    model.running = { command: String(this), line: model.timeline.length };
    const delivered = (await deliveriesOf(model, world)).filter((d) => d.status === 'delivered');
    const reordered = delivered.slice(-this.count).reverse();
    await resend(world, reordered);
    model.timeline.push(
      `${this} → ${reordered.map((d) => d.type).join(', ') || 'nothing delivered yet'}`,
    );
    assertAppliedOnce(world);
  }

  toString(): string {
    return `ReorderWebhooks(${this.count})`;
  }
}
