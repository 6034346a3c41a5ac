import { z } from 'zod';
import { defineRoute } from '../../http/route.ts';
import { planSchema, planView } from './plan-view.ts';

export const planRoutes = [
  defineRoute({
    method: 'get',
    path: '/v1/plans',
    operationId: 'listPlans',
    summary: "The carrier's base plans and add-ons",
    tag: 'Plans',
    access: 'api-key',
    responses: {
      200: { description: 'The catalog', schema: z.object({ data: z.array(planSchema) }) },
    },
    async handle(_input, context) {
      return { status: 200, body: { data: context.profile.plans.map(planView) } };
    },
  }),
];
