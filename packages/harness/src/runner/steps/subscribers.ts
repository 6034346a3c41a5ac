import { carrierProfiles } from '@esimlab/domain';
import type { StepOf } from '../../scenarios/scenario-schema.ts';
import { expectProblem } from '../internal/expect-problem.ts';
import { type ScenarioWorld, StepFailure } from '../scenario-world.ts';

/** `tenant`: a tenant of its own, with its own API key. */
export async function createTenant(world: ScenarioWorld, step: StepOf<'tenant'>): Promise<string> {
  const { apiKey } = await world.client.sim.createTenant({ name: step.as });
  world.tenants.set(step.as, { apiKey, client: world.clientFor(apiKey) });
  return `tenant ${step.as}`;
}

/** `esim`: an order for a base plan, as the named tenant (default dev). */
export async function orderEsim(world: ScenarioWorld, step: StepOf<'esim'>): Promise<string> {
  const client = world.tenantClient(step.tenant);
  const body = {
    planId: step.plan,
    paymentMethod: step.paymentMethod,
    subscriber: {
      name: `Subscriber ${step.as}`,
      email: `${step.as}@example.com`,
      timeZone: step.timeZone ?? carrierProfiles[world.carrier].timeZone,
    },
  };
  if (step.error !== undefined) {
    await expectProblem(step.error, () => client.createEsim(body));
    return `esim ${step.as} ${step.plan} → ${step.error}`;
  }
  const esim = await client.createEsim(body);
  world.esims.set(step.as, {
    iccid: esim.iccid,
    activationCode: esim.activationCode,
    ...(esim.confirmationCode === undefined ? {} : { confirmationCode: esim.confirmationCode }),
    client,
  });
  return `esim ${step.as} ${step.plan} → ${esim.iccid}`;
}

/** `update`: auto-renewal on or off, or another payment method. */
export async function updateEsim(world: ScenarioWorld, step: StepOf<'update'>): Promise<string> {
  const esim = world.esim(step.esim);
  const patch = {
    ...(step.autoRenew === undefined ? {} : { autoRenew: step.autoRenew }),
    ...(step.paymentMethod === undefined ? {} : { paymentMethod: step.paymentMethod }),
  };
  if (Object.keys(patch).length === 0) throw new StepFailure('update names nothing to change');
  await esim.client.updateEsim(esim.iccid, patch);
  return `update ${step.esim} ${JSON.stringify(patch)}`;
}

/** `cancel`: ends service; inside the minimum term a fee is charged. */
export async function cancelEsim(world: ScenarioWorld, step: StepOf<'cancel'>): Promise<string> {
  const esim = world.esim(step.esim);
  const result = await esim.client.cancelEsim(esim.iccid);
  const fee = result.earlyTerminationFee?.amount ?? 0;
  if (step.fee !== undefined && fee !== step.fee) {
    throw new StepFailure(`expected an early-termination fee of ${step.fee} cents; got ${fee}`);
  }
  return `cancel ${step.esim} → ${result.status}, fee ${fee} cents`;
}
