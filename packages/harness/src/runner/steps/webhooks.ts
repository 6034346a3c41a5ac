import { startWebhookReceiver } from '@esimlab/client';
import { startMutantReceiver } from '../../mutants/index.ts';
import type { StepOf } from '../../scenarios/scenario-schema.ts';
import type { ScenarioWorld } from '../scenario-world.ts';

/** `webhooks`: a receiver on a free local port, subscribed to the carrier's events. */
export async function subscribeReceiver(
  world: ScenarioWorld,
  step: StepOf<'webhooks'>,
): Promise<string> {
  const receiver =
    step.receiver === 'correct' ? await startWebhookReceiver({}) : await startMutantReceiver({});
  const client = world.tenantClient(step.tenant);
  const endpoint = await client.createWebhookEndpoint({ url: receiver.url, events: step.events });
  receiver.setSecret(endpoint.secret);
  world.receivers.set(step.as, {
    receiver,
    endpointId: endpoint.id,
    dedupes: step.receiver === 'correct',
  });
  return `webhooks ${step.as} (${step.receiver}) for ${step.events.join(', ')}`;
}

/** `trigger`: the carrier emits an event of any type for an eSIM. */
export async function triggerEvent(world: ScenarioWorld, step: StepOf<'trigger'>): Promise<string> {
  const esim = world.esim(step.esim);
  await world.client.sim.triggerWebhook({ type: step.type, iccid: esim.iccid });
  return `trigger ${step.type} for ${step.esim}`;
}
