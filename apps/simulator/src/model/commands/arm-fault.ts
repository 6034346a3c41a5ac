import type { FaultRuleInput } from '@esimlab/client';
import { type FaultKind, faultTarget } from '@esimlab/faults';
import type { CarrierWorld } from '../carrier-world.ts';
import { steadily } from '../internal/world-calls.ts';
import type { SimulationCommand } from '../simulation-command.ts';
import type { SimulationModel } from '../simulation-model.ts';

/** At most this many rules at once: enough to combine faults, few enough to still buy. */
export const MAX_ARMED_RULES = 4;

/** The requests of a purchase a rule can hit. */
export const faultTargets = {
  purchase: { method: 'POST', path: '/v1/esims/*/topups' },
  lookup: { method: 'GET', path: '/v1/esims/*/topups' },
  poll: { method: 'GET', path: '/v1/topups/*' },
} as const;

export type FaultTargetName = keyof typeof faultTargets;

/** A fault rule as the command arms it: its id is given when it runs. */
export type ArmedRule = Omit<Extract<FaultRuleInput, { kind: FaultKind }>, 'id'> & {
  readonly kind: FaultKind;
};

/**
 * Arms one fault rule through the control plane (`PATCH /_sim/faults`): a network fault on
 * the requests of purchases (applied by the simulated network, or by the carrier's fault
 * middleware on a real socket), a saga crash, or a webhook fault. From then on, any purchase
 * may end unknown, and the checker must still find every charge accounted for.
 */
export class ArmFaultCommand implements SimulationCommand {
  constructor(readonly rule: ArmedRule) {}

  check(model: Readonly<SimulationModel>): boolean {
    return (
      model.faultKinds.includes(this.rule.kind) &&
      model.httpFaults + model.webhookFaults < MAX_ARMED_RULES
    );
  }

  async run(model: SimulationModel, world: CarrierWorld): Promise<void> {
    model.running = { command: String(this), line: model.timeline.length };
    const id = `f${++model.rulesAdded}`;
    await steadily(world, () => world.client.sim.addFault({ ...this.rule, id } as FaultRuleInput));
    if (faultTarget(this.rule.kind) === 'webhook') model.webhookFaults++;
    else model.httpFaults++;
    model.timeline.push(`${this} as ${id}`);
  }

  toString(): string {
    const { kind, match, probability, times, params } = this.rule;
    const on = match?.path === undefined ? '' : ` on ${match.method ?? ''} ${match.path}`;
    return `ArmFault(${kind}${on}${params === undefined ? '' : ` ${JSON.stringify(params)}`}, p=${probability ?? 1}${times === undefined ? '' : `, ×${times}`})`;
  }
}
