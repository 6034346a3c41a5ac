import type { CarrierWorld } from '../carrier-world.ts';
import { assertAppliedOnce, deliveriesOf, resend } from '../internal/webhook-support.ts';
import type { SimulationCommand } from '../simulation-command.ts';
import type { SimulationModel } from '../simulation-model.ts';

/**
 * The webhook backlog goes out now: every delivery not yet delivered (dropped, failed, or
 * waiting for its next retry) is sent again, as an operator's "resend" does.
 */
export class DeliverWebhooksCommand implements SimulationCommand {
  check(model: Readonly<SimulationModel>): boolean {
    return model.esims.length > 0;
  }

  async run(model: SimulationModel, world: CarrierWorld): Promise<void> {
    model.running = { command: String(this), line: model.timeline.length };
    const backlog = (await deliveriesOf(model, world)).filter((d) => d.status !== 'delivered');
    await resend(world, backlog);
    model.timeline.push(`${this} → ${backlog.length} resent`);
    assertAppliedOnce(world);
  }

  toString(): string {
    return 'DeliverWebhooks';
  }
}
