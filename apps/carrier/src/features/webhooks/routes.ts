import type { StoreTx } from '@esimlab/store';
import { z } from 'zod';
import { jsonListReply } from '../../http/json-list.ts';
import { afterCreatedAt, createdAtCursorSchema, createdAtPageOf } from '../../http/page-query.ts';
import { notFound, ProblemError } from '../../http/problem.ts';
import { defineRoute } from '../../http/route.ts';
import { problemSchema } from '../../http/schemas.ts';
import {
  esims,
  type WebhookDeliveryRecord,
  type WebhookEndpointRecord,
  webhookDeliveries,
  webhookEndpoints,
} from '../../persistence/collections.ts';
import { iccidSchema, tenantIdOf } from '../esims/esim-lookup.ts';
import { recordEvent } from '../events/journal.ts';
import { armDeliveryWakeup, isDeliveryInFlight } from './deliver-webhooks.ts';
import { emitWebhookEvent } from './emit-webhook-event.ts';
import { webhookDeliverySchema, webhookDeliveryView } from './webhook-delivery-view.ts';
import { requireLoopbackUrl, webhookUrlSchema } from './webhook-endpoint-url.ts';
import {
  createdWebhookEndpointSchema,
  webhookEndpointSchema,
  webhookEndpointView,
} from './webhook-endpoint-view.ts';
import { ALL_WEBHOOK_EVENTS, webhookEventTypes } from './webhook-event-types.ts';
import { sampleWebhookEventData } from './webhook-sample-data.ts';

/** Like Stripe's limit: enough for any app, and it bounds the fan-out of one event. */
export const MAX_WEBHOOK_ENDPOINTS = 16;
const SECRET_BYTES = 24;
// The most deliveries one page holds, and how many it holds when the client names no limit.
const MAX_DELIVERY_PAGE = 100;

const knownTypes = `${webhookEventTypes.join(', ')}, or "${ALL_WEBHOOK_EVENTS}" for all`;

const eventTypeSchema = z.enum(webhookEventTypes, {
  error: `must be a known event type: ${webhookEventTypes.join(', ')}`,
});

const createEndpointSchema = z
  .strictObject({
    url: webhookUrlSchema,
    events: z
      .array(
        z.enum([...webhookEventTypes, ALL_WEBHOOK_EVENTS], {
          error: `must be a known event type: ${knownTypes}`,
        }),
        { error: `events must be a list of event types: ${knownTypes}` },
      )
      .min(1, `subscribe to at least one event type: ${knownTypes}`)
      .max(webhookEventTypes.length + 1)
      .transform((events) => [...new Set(events)])
      .meta({ example: ['topup.succeeded', 'topup.failed'] }),
  })
  .meta({ id: 'WebhookEndpointCreate' });

const idParams = (what: string) =>
  z.object({
    id: z
      .string()
      .min(1)
      .max(64)
      .meta({ description: `The ${what}'s id` }),
  });

const problem = (description: string) => ({ description, schema: problemSchema });

const endpointNotFound = (id: string) =>
  notFound('webhook_endpoint', id, 'list your endpoints with GET /v1/webhook-endpoints');

async function findTenantEndpoint(
  tx: StoreTx,
  tenantId: string,
  id: string,
): Promise<WebhookEndpointRecord> {
  const endpoint = await tx.get(webhookEndpoints, id);
  // Another tenant's endpoint is reported exactly like an unknown one.
  if (!endpoint || endpoint.tenantId !== tenantId) throw endpointNotFound(id);
  return endpoint;
}

export const webhookRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/webhook-endpoints',
    operationId: 'createWebhookEndpoint',
    summary: 'Register a URL for webhook events; the response carries its signing secret',
    tag: 'Webhooks',
    access: 'api-key',
    body: createEndpointSchema,
    responses: {
      201: { description: 'The endpoint and its secret', schema: createdWebhookEndpointSchema },
      400: problem('Not an http(s) URL, or an unknown event type'),
      409: problem(`webhook_endpoint_limit_reached: ${MAX_WEBHOOK_ENDPOINTS} endpoints already`),
      422: problem('webhook_url_not_allowed: the host is not loopback'),
    },
    async handle({ body, tenant }, context) {
      const tenantId = tenantIdOf(tenant);
      requireLoopbackUrl(body.url);
      const endpoint: WebhookEndpointRecord = {
        id: context.ids.next('we'),
        tenantId,
        url: body.url,
        events: body.events,
        secret: `whsec_${context.secrets.token(SECRET_BYTES)}`,
        createdAt: context.clock.now(),
      };
      await context.store.transaction(async (tx) => {
        if ((await tx.count(webhookEndpoints, { tenantId })) >= MAX_WEBHOOK_ENDPOINTS) {
          throw new ProblemError(
            409,
            'webhook_endpoint_limit_reached',
            `a tenant may have at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints; delete one with DELETE /v1/webhook-endpoints/{id}, or subscribe one endpoint to more events`,
          );
        }
        await tx.insert(webhookEndpoints, endpoint);
        await recordEvent(tx, context, {
          type: 'webhook_endpoint.created',
          tenantId,
          data: { endpointId: endpoint.id, url: endpoint.url, events: endpoint.events },
        });
      });
      return {
        status: 201,
        headers: { Location: `/v1/webhook-endpoints/${endpoint.id}` },
        body: { ...webhookEndpointView(endpoint), secret: endpoint.secret },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/webhook-endpoints',
    operationId: 'listWebhookEndpoints',
    summary: "The tenant's webhook endpoints, oldest first (without secrets)",
    tag: 'Webhooks',
    access: 'api-key',
    responses: {
      200: {
        description: 'Every endpoint of the tenant',
        schema: z.object({ data: z.array(webhookEndpointSchema) }),
      },
    },
    async handle({ tenant }, context) {
      const tenantId = tenantIdOf(tenant);
      const found = await context.store.transaction((tx) =>
        tx.find(webhookEndpoints, { tenantId }, { orderBy: 'createdAt' }),
      );
      return { status: 200, body: { data: found.map(webhookEndpointView) } };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/webhook-endpoints/{id}',
    operationId: 'deleteWebhookEndpoint',
    summary: 'Delete an endpoint; its pending deliveries stop (as failed)',
    tag: 'Webhooks',
    access: 'api-key',
    params: idParams('endpoint'),
    responses: {
      204: { description: 'Deleted' },
      404: problem('webhook_endpoint_not_found'),
    },
    async handle({ params, tenant }, context) {
      const tenantId = tenantIdOf(tenant);
      await context.store.transaction(async (tx) => {
        const endpoint = await findTenantEndpoint(tx, tenantId, params.id);
        await tx.delete(webhookEndpoints, endpoint.id);
        const pending = (await tx.find(webhookDeliveries, { endpointId: endpoint.id })).filter(
          (d) => d.status === 'pending',
        );
        for (const delivery of pending) {
          await tx.update(webhookDeliveries, {
            ...delivery,
            status: 'failed',
            nextAttemptAt: null,
          });
        }
        await recordEvent(tx, context, {
          type: 'webhook_endpoint.deleted',
          tenantId,
          data: { endpointId: endpoint.id, stoppedDeliveryIds: pending.map((d) => d.id) },
        });
      });
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/webhook-endpoints/{id}/deliveries',
    operationId: 'listWebhookDeliveries',
    summary: "An endpoint's deliveries, newest first: attempts, status and next retry",
    tag: 'Webhooks',
    access: 'api-key',
    params: idParams('endpoint'),
    query: z.strictObject({
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(MAX_DELIVERY_PAGE)
        .default(MAX_DELIVERY_PAGE)
        .meta({
          description: `How many of the newest deliveries (after the cursor, if any), 1..${MAX_DELIVERY_PAGE}`,
        }),
      cursor: createdAtCursorSchema(z.string().min(1).max(64)),
    }),
    responses: {
      200: {
        description:
          'A page of the delivery log, newest first; nextCursor is null on the last page',
        schema: z.object({
          data: z.array(webhookDeliverySchema),
          nextCursor: z.string().nullable().meta({
            description: 'Pass it as `cursor` for the next, older page; null on the last one',
          }),
        }),
      },
      400: problem('A bad limit or cursor'),
      404: problem('webhook_endpoint_not_found'),
    },
    async handle({ params, query, tenant }, context) {
      const tenantId = tenantIdOf(tenant);
      const { cursor, limit } = query;
      const found = await context.store.transaction(async (tx) => {
        const endpoint = await findTenantEndpoint(tx, tenantId, params.id);
        return tx.find(
          webhookDeliveries,
          { endpointId: endpoint.id },
          {
            orderBy: 'createdAt',
            direction: 'desc',
            ...afterCreatedAt(cursor),
            limit: limit + 1,
          },
        );
      });
      const page = createdAtPageOf(found, limit);
      return jsonListReply(page.shown, webhookDeliveryView, page.nextCursor);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/webhook-deliveries/{id}/resend',
    operationId: 'resendWebhookDelivery',
    summary: 'Send a delivery again now: a new attempt with the same event id',
    tag: 'Webhooks',
    access: 'api-key',
    params: idParams('delivery'),
    // No body is needed; an empty JSON object is accepted for clients that always send one.
    body: z.strictObject({}).optional(),
    responses: {
      202: { description: 'Queued; the attempt follows shortly', schema: webhookDeliverySchema },
      404: problem('webhook_delivery_not_found, or its endpoint was deleted'),
      409: problem('webhook_delivery_in_progress: an attempt is on the wire'),
    },
    async handle({ params, tenant }, context) {
      const tenantId = tenantIdOf(tenant);
      const queued = await context.store.transaction(async (tx) => {
        const delivery = await tx.get(webhookDeliveries, params.id);
        if (!delivery || delivery.tenantId !== tenantId) {
          throw notFound(
            'webhook_delivery',
            params.id,
            'list deliveries with GET /v1/webhook-endpoints/{id}/deliveries',
          );
        }
        if (!(await tx.get(webhookEndpoints, delivery.endpointId))) {
          throw new ProblemError(
            404,
            'webhook_endpoint_not_found',
            `the endpoint of delivery \`${delivery.id}\` was deleted; create one with POST /v1/webhook-endpoints`,
          );
        }
        if (await isDeliveryInFlight(tx, context, delivery)) {
          throw new ProblemError(
            409,
            'webhook_delivery_in_progress',
            `delivery \`${delivery.id}\` has an attempt on the wire; retry once it is answered (at most 5 s)`,
            { headers: { 'Retry-After': '5' } },
          );
        }
        const now = context.clock.now();
        // A claim left by a replica that died mid-attempt goes with the old series.
        const { claim: _abandoned, ...unclaimed } = delivery;
        const requeued: WebhookDeliveryRecord = {
          ...unclaimed,
          status: 'pending',
          nextAttemptAt: now,
          seriesStart: delivery.attempts.length,
        };
        await tx.update(webhookDeliveries, requeued);
        await recordEvent(tx, context, {
          type: 'webhook.resend_requested',
          tenantId,
          data: { deliveryId: delivery.id, eventId: delivery.eventId, previous: delivery.status },
        });
        return requeued;
      });
      armDeliveryWakeup(context, context.clock.now());
      return { status: 202, body: webhookDeliveryView(queued) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/_sim/webhooks/trigger',
    operationId: 'triggerWebhookEvent',
    summary: "Emit a test event of any type about an eSIM, to its tenant's endpoints",
    tag: 'Control plane',
    access: 'control-plane',
    body: z
      .strictObject({
        type: eventTypeSchema.meta({ example: 'topup.succeeded' }),
        iccid: iccidSchema,
      })
      .meta({ id: 'WebhookTrigger' }),
    responses: {
      202: {
        description: 'Emitted; deliveries follow',
        schema: z.object({ eventId: z.string() }),
      },
      400: problem('An unknown event type or a malformed ICCID'),
      404: problem('esim_not_found'),
    },
    async handle({ body }, context) {
      const event = await context.store.transaction(async (tx) => {
        const esim = await tx.get(esims, body.iccid);
        if (!esim) {
          throw new ProblemError(
            404,
            'esim_not_found',
            `no eSIM \`${body.iccid}\` on this carrier; order one with POST /v1/esims or seed some with POST /_sim/seed`,
          );
        }
        const data = await sampleWebhookEventData(tx, context, esim, body.type);
        return emitWebhookEvent(tx, context, { tenantId: esim.tenantId, type: body.type, data });
      });
      return { status: 202, body: { eventId: event.id } };
    },
  }),
];
