import { chargeStatuses } from '@esimlab/domain';
import { z } from 'zod';
import { jsonListReply } from '../../http/json-list.ts';
import {
  afterCreatedAt,
  createdAtCursorSchema,
  createdAtPageOf,
  pageLimitSchema,
  pageSizeOf,
} from '../../http/page-query.ts';
import { defineRoute } from '../../http/route.ts';
import { problemSchema } from '../../http/schemas.ts';
import { charges } from '../../persistence/collections.ts';
import { iccidSchema } from '../esims/esim-lookup.ts';
import { chargeView, gatewayChargeSchema } from './charge-view.ts';

const MAX_PAGE = 10_000;

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
      limit: pageLimitSchema(
        MAX_PAGE,
        `Page size, 1 to ${MAX_PAGE}; without it or a cursor, every charge in one answer`,
      ),
      cursor: createdAtCursorSchema(z.string().min(1).max(128)),
    }),
    responses: {
      200: {
        description:
          'The charges the gateway holds, oldest first (every one, or a page with `limit`); declined payments leave none',
        schema: z.object({
          data: z.array(gatewayChargeSchema),
          nextCursor: z.string().nullable().optional().meta({
            description:
              'Only in a page (`limit` or `cursor` given): pass it as `cursor` for the next page; null on the last one',
          }),
        }),
      },
      400: { description: 'A malformed filter, limit or cursor', schema: problemSchema },
    },
    async handle({ query }, context) {
      const { cursor } = query;
      const where = {
        ...(query.iccid === undefined ? {} : { iccid: query.iccid }),
        ...(query.status === undefined ? {} : { status: query.status }),
      };
      const size = pageSizeOf(query, MAX_PAGE);
      const found = await context.store.transaction((tx) =>
        tx.find(charges, where, {
          orderBy: 'createdAt',
          ...afterCreatedAt(cursor),
          ...(size === undefined ? {} : { limit: size + 1 }),
        }),
      );
      const page = createdAtPageOf(found, size);
      return jsonListReply(page.shown, chargeView, page.nextCursor);
    },
  }),
];
