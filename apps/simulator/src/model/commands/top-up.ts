import type { CarrierWorld } from '../carrier-world.ts';
import { purchase } from '../internal/purchase.ts';
import { checkBalances } from '../invariants.ts';
import type { TestPaymentMethod } from '../payment-methods.ts';
import { pick, type SimulationCommand } from '../simulation-command.ts';
import { creditsOf, type IntentModel, type SimulationModel } from '../simulation-model.ts';

/**
 * A subscriber buys an add-on: a new intent, bought through the client under test. The
 * outcome must be one the model allows; the eSIM's balance must stay within its range.
 */
export class TopUpCommand implements SimulationCommand {
  constructor(
    readonly esimIndex: number,
    readonly addonIndex: number,
    readonly paymentMethod: TestPaymentMethod,
  ) {}

  check(model: Readonly<SimulationModel>): boolean {
    return model.esims.length > 0;
  }

  async run(model: SimulationModel, world: CarrierWorld): Promise<void> {
    model.running = { command: String(this), line: model.timeline.length };
    const esim = pick(model.esims, this.esimIndex);
    const plan = pick(model.addons, this.addonIndex);
    const intentId = `i${model.intents.length + 1}`;
    const credits = creditsOf(model.profile, plan, await world.carrierNow());
    const bought = await purchase(
      model,
      world,
      { intentId, esim, plan, paymentMethod: this.paymentMethod, credits },
      { resume: false },
    );
    const intent: IntentModel = {
      intentId,
      esim,
      plan,
      paymentMethod: this.paymentMethod,
      credits,
      status: bought.status,
      intent: bought.intent,
    };
    model.intents.push(intent);
    model.timeline.push(`${this} → ${intentId} ${bought.status} [${bought.requests.join(', ')}]`);
    await checkBalances(model, world, [esim]);
  }

  toString(): string {
    return `TopUp(esim ${this.esimIndex}, addon ${this.addonIndex}, ${this.paymentMethod})`;
  }
}
