import { chargeStatuses } from '@esimlab/domain';
import { z } from 'zod';
import { jsonListReply } from '../../http/json-list.ts';
import { defineRoute } from '../../http/route.ts';
import { problemSchema } from '../../http/schemas.ts';
import { type ChargeRecord, charges } from '../../persistence/collections.ts';
import { pagesOf } from '../../persistence/pages-of.ts';
import { iccidSchema } from '../esims/esim-lookup.ts';
import { chargeView, gatewayChargeSchema } from './charge-view.ts';

const CHARGES_PER_PAGE = 1000;

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
      const wanted = (charge: ChargeRecord) =>
        query.status === undefined || charge.status === query.status;
      // Every charge grows with every purchase: read and written out a page at a time.
      return context.store.transaction(async (tx) =>
        jsonListReply(
          query.iccid === undefined
            ? pagesOf(tx, charges, CHARGES_PER_PAGE, 'createdAt')
            : [await tx.find(charges, { iccid: query.iccid }, { orderBy: 'createdAt' })],
          chargeView,
          wanted,
        ),
      );
    },
  }),
];
