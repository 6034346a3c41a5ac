import { carrierProfiles } from '@esimlab/domain';
import type { FaultKind } from '@esimlab/faults';
import type { CarrierWorld } from './carrier-world.ts';
import { steadily } from './internal/world-calls.ts';
import { type AddonKind, createModel, type SimulationModel } from './simulation-model.ts';

/**
 * Puts a fresh carrier (just started, or reset) into the run's API style and subscribes the run's receiver to the
 * top-up events (the ones a client waits for); returns the model of that empty world.
 */
export async function setUpRun(
  world: CarrierWorld,
  faultKinds: readonly FaultKind[],
  addonKinds?: readonly AddonKind[],
): Promise<SimulationModel> {
  if (carrierProfiles[world.carrier].defaultApiStyle !== world.apiStyle) {
    await steadily(world, () => world.client.sim.updateConfig({ apiStyle: world.apiStyle }));
  }
  const endpoint = await steadily(world, () =>
    world.client.createWebhookEndpoint({
      url: world.receiver.url,
      events: ['topup.succeeded', 'topup.failed'],
    }),
  );
  world.receiver.setSecret(endpoint.secret);
  return createModel({
    carrier: world.carrier,
    apiStyle: world.apiStyle,
    faultKinds,
    ...(addonKinds === undefined ? {} : { addonKinds }),
    startedAt: await world.carrierNow(),
    webhookEndpointId: endpoint.id,
  });
}
