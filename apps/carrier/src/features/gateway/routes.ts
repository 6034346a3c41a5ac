import { chargeStatuses } from '@esimlab/domain';
import { z } from 'zod';
import { jsonListReply } from '../../http/json-list.ts';
import { defineRoute } from '../../http/route.ts';
import { problemSchema } from '../../http/schemas.ts';
import { charges } from '../../persistence/collections.ts';
import { iccidSchema } from '../esims/esim-lookup.ts';
import { chargeView, gatewayChargeSchema } from './charge-view.ts';

export const gatewayRoutes = [
  defineRoute({
    method: 'get',
    path: '/_sim/gateway/charges',
    operationId: 'listGatewayCharges',
    summary: "The mock payment gateway's charges, oldest first (all tenants)",
    tag: 'Control plane',
    access: 'control-plane',
    query: z.object({
      iccid: iccidSchema.optional().meta({ description: 'Only the charges of this eSIM' }),
      status: z
        .enum(chargeStatuses, {
          error: () => `status must be one of ${chargeStatuses.join(', ')}`,
        })
        .optional(),
    }),
    responses: {
      200: {
        description: 'Every charge the gateway holds; declined payments leave none',
        schema: z.object({ data: z.array(gatewayChargeSchema) }),
      },
      400: { description: 'A malformed filter', schema: problemSchema },
    },
    async handle({ query }, context) {
      const found = await context.store.transaction((tx) =>
        tx.find(charges, query.iccid === undefined ? {} : { iccid: query.iccid }, {
          orderBy: 'createdAt',
        }),
      );
      return jsonListReply(
        found,
        chargeView,
        (charge) => query.status === undefined || charge.status === query.status,
      );
    },
  }),
];
