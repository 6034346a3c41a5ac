import { isCarrierRequestError } from '@esimlab/client';
import type { CarrierWorld } from '../carrier-world.ts';
import { ADVANCE_TIMEOUT_MS } from '../internal/world-calls.ts';
import { checkBalances } from '../invariants.ts';
import type { SimulationCommand } from '../simulation-command.ts';
import { ADVANCE_BUDGET_MS, type SimulationModel } from '../simulation-model.ts';
import { violated } from '../simulation-violation.ts';

/**
 * Time passes on the carrier's test clock (`POST /_sim/clock/advance`): async top-ups fall
 * due and complete, webhook retries go out. Balances must stay in range, unknown top-ups
 * included. The run's budget keeps every bucket unexpired.
 */
export class AdvanceClockCommand implements SimulationCommand {
  constructor(readonly minutes: number) {}

  check(model: Readonly<SimulationModel>): boolean {
    return model.clockAdvancedMs + this.minutes * 60_000 <= ADVANCE_BUDGET_MS;
  }

  async run(model: SimulationModel, world: CarrierWorld): Promise<void> {
    model.running = { command: String(this), line: model.timeline.length };
    await world.whenUp();
    model.clockAdvancedMs += this.minutes * 60_000;
    try {
      await world.client.sim.advanceClock(
        { by: `PT${this.minutes}M` },
        { timeoutMs: ADVANCE_TIMEOUT_MS },
      );
    } catch (error) {
      // Due work may run a saga into an armed crash point: the carrier dies mid-advance.
      if (!(isCarrierRequestError(error) && model.crashPossible)) throw error;
    }
    if ((await world.carrierNow()) > model.horizonAt) {
      violated(
        'unexpected_outcome',
        `the carrier's clock passed the run's horizon (${new Date(model.horizonAt).toISOString()}); balances can no longer be predicted`,
      );
    }
    model.timeline.push(String(this));
    await checkBalances(model, world);
  }

  toString(): string {
    return `AdvanceClock(${this.minutes} min)`;
  }
}
