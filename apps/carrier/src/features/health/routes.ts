import { z } from 'zod';
import { defineRoute } from '../../http/route.ts';

export const healthRoutes = [
  defineRoute({
    method: 'get',
    path: '/healthz',
    operationId: 'getHealth',
    summary: 'Liveness: the carrier answers and its store is open',
    tag: 'Operations',
    access: 'public',
    responses: {
      200: {
        description: 'The carrier is up',
        schema: z.object({ status: z.literal('ok'), carrier: z.string() }),
      },
    },
    async handle(_input, context) {
      await context.store.transaction(async () => undefined);
      return { status: 200, body: { status: 'ok', carrier: context.profile.id } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    summary: 'Prometheus metrics (text exposition format)',
    tag: 'Operations',
    access: 'public',
    responses: { 200: { description: 'Metrics', contentType: 'text/plain; version=0.0.4' } },
    async handle(_input, context) {
      const text = await context.metrics.registry.metrics();
      return {
        status: 200,
        raw: { contentType: context.metrics.registry.contentType, data: text },
      };
    },
  }),
];
