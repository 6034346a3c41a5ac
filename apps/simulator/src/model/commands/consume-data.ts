import { CarrierProblemError } from '@esimlab/client';
import type { CarrierWorld } from '../carrier-world.ts';
import { failureOf, steadily } from '../internal/world-calls.ts';
import { assertBalance } from '../invariants.ts';
import { pick, type SimulationCommand } from '../simulation-command.ts';
import { consume, remainingRange, type SimulationModel } from '../simulation-model.ts';
import { violated } from '../simulation-violation.ts';

/**
 * The phone uses data. Without signal it cannot; otherwise the carrier drains what is left,
 * never below zero, so the bytes consumed tell the model how much was there.
 */
export class ConsumeDataCommand implements SimulationCommand {
  constructor(
    readonly esimIndex: number,
    readonly bytes: number,
  ) {}

  check(model: Readonly<SimulationModel>): boolean {
    return model.esims.length > 0;
  }

  async run(model: SimulationModel, world: CarrierWorld): Promise<void> {
    model.running = { command: String(this), line: model.timeline.length };
    const esim = pick(model.esims, this.esimIndex);
    const use = () => world.client.sim.consumeData(esim.eid, { bytes: this.bytes });
    if (esim.place === 'quiet-zone') {
      const error = await failureOf(steadily(world, use));
      if (!(error instanceof CarrierProblemError && error.code === 'network_unreachable')) {
        violated(
          'unexpected_outcome',
          `using data on ${esim.label} with no signal answered ${error === undefined ? 'success' : error.message}; expected 503 network_unreachable`,
        );
      }
      model.timeline.push(`${this} → no signal`);
      return;
    }
    const range = remainingRange(model, esim);
    const used = await steadily(world, use);
    const least = Math.min(this.bytes, range.min);
    const most = Math.min(this.bytes, range.max);
    if (used.consumedBytes < least || used.consumedBytes > most) {
      violated(
        'balance_mismatch',
        `${esim.label} consumed ${used.consumedBytes} of ${this.bytes} bytes asked; with ${range.min}..${range.max} left it must be ${least === most ? least : `${least}..${most}`}`,
      );
    }
    consume(model, esim, used.consumedBytes);
    model.timeline.push(`${this} → ${used.consumedBytes} consumed`);
    assertBalance(model, esim, used);
  }

  toString(): string {
    return `ConsumeData(esim ${this.esimIndex}, ${this.bytes} bytes)`;
  }
}
