import type { CarrierWorld } from '../carrier-world.ts';
import { purchase } from '../internal/purchase.ts';
import { checkBalances } from '../invariants.ts';
import { pick, type SimulationCommand } from '../simulation-command.ts';
import type { SimulationModel } from '../simulation-model.ts';

/**
 * The subscriber comes back to a purchase that ended unknown and the app tries it again as
 * the same intent (same key, same reference): whatever went through before must not be
 * bought twice, and what the retry learns must agree with the model.
 */
export class RetryUnknownIntentCommand implements SimulationCommand {
  constructor(readonly intentIndex: number) {}

  check(model: Readonly<SimulationModel>): boolean {
    return model.intents.some((i) => i.status === 'unknown');
  }

  async run(model: SimulationModel, world: CarrierWorld): Promise<void> {
    model.running = { command: String(this), line: model.timeline.length };
    const intent = pick(
      model.intents.filter((i) => i.status === 'unknown'),
      this.intentIndex,
    );
    const before = intent.status;
    const bought = await purchase(
      model,
      world,
      {
        intentId: intent.intentId,
        esim: intent.esim,
        plan: intent.plan,
        paymentMethod: intent.paymentMethod,
        credits: intent.credits,
      },
      { resume: true },
    );
    intent.status = bought.status;
    intent.intent = bought.intent;
    model.timeline.push(
      `${this} → ${intent.intentId} ${before} → ${intent.status} [${bought.requests.join(', ')}]`,
    );
    await checkBalances(model, world, [intent.esim]);
  }

  toString(): string {
    return `RetryUnknownIntent(${this.intentIndex})`;
  }
}
