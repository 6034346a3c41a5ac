import type { StoreTx } from '@esimlab/store';
import { z } from 'zod';
import type { CarrierContext } from '../../app/carrier-context.ts';
import {
  readIdempotencyKey,
  registerResourceReplier,
  withIdempotency,
} from '../../http/idempotency.ts';
import { defineRoute, type RouteReply } from '../../http/route.ts';
import { problemSchema } from '../../http/schemas.ts';
import { cancellations, esims } from '../../persistence/collections.ts';
import { iccidParamsSchema, tenantIdOf } from '../esims/esim-lookup.ts';
import { cancelEsim } from './cancel-esim.ts';
import { cancellationSchema, cancellationView } from './cancellation-view.ts';

const problem = (description: string) => ({ description, schema: problemSchema });

/** After a crash, a key whose cancellation went through is answered from the cancellation. */
async function replyForCancellation(
  tx: StoreTx,
  _context: CarrierContext,
  id: string,
): Promise<RouteReply | undefined> {
  const cancellation = await tx.get(cancellations, id);
  const esim = cancellation ? await tx.get(esims, cancellation.iccid) : undefined;
  if (!cancellation || !esim || cancellation.status !== 'completed') return undefined;
  return { status: 200, body: cancellationView(cancellation, esim) };
}

registerResourceReplier('cancellation', replyForCancellation);

export const cancellationRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/esims/{iccid}/cancel',
    operationId: 'cancelEsim',
    summary:
      'Cancel an eSIM: within the minimum term the early-termination fee is charged first; the data is closed and auto-renewal stops',
    tag: 'eSIMs',
    access: 'api-key',
    params: iccidParamsSchema,
    // No body is needed; an empty JSON object is accepted for clients that always send one.
    body: z.strictObject({}).optional(),
    idempotencyKey: 'optional',
    responses: {
      200: {
        description: 'The cancelled eSIM and the fee charged, if any',
        schema: cancellationSchema,
      },
      400: problem('The ICCID, the body or the Idempotency-Key is invalid'),
      402: problem(
        'The early-termination fee was declined (card_declined, insufficient_funds, processing_error); nothing was cancelled',
      ),
      404: problem('esim_not_found'),
      409: problem('esim_already_cancelled, cancellation_in_progress, idempotency_key_in_use'),
      422: problem('idempotency_key_reused with another body'),
    },
    async handle({ params, body, tenant, headers }, context) {
      const tenantId = tenantIdOf(tenant);
      const key = readIdempotencyKey(headers['idempotency-key'], false);
      return withIdempotency(
        context,
        {
          tenantId,
          method: 'post',
          path: `/v1/esims/${params.iccid}/cancel`,
          key,
          body: body ?? {},
        },
        async (claim) => {
          const { cancellation, esim } = await cancelEsim(
            context,
            { tenantId, iccid: params.iccid },
            claim,
          );
          return { status: 200, body: cancellationView(cancellation, esim) };
        },
      );
    },
  }),
];
