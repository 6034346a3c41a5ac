import { toIso } from '@esimlab/domain';
import { z } from 'zod';
import { isoTime } from '../../http/schemas.ts';
import type { WebhookEndpointRecord } from '../../persistence/collections.ts';

export const webhookEndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()).meta({ description: 'Event types sent here; `*` for all' }),
    createdAt: isoTime,
  })
  .meta({ id: 'WebhookEndpoint' });

export const createdWebhookEndpointSchema = webhookEndpointSchema
  .extend({
    secret: z.string().meta({
      description: 'Signs every delivery (Esimlab-Signature); shown only in this response, keep it',
    }),
  })
  .meta({ id: 'CreatedWebhookEndpoint' });

/** An endpoint as listed: never with its secret. */
export const webhookEndpointView = (
  endpoint: WebhookEndpointRecord,
): z.infer<typeof webhookEndpointSchema> => ({
  id: endpoint.id,
  url: endpoint.url,
  events: [...endpoint.events],
  createdAt: toIso(endpoint.createdAt),
});
