import type { StoreTx } from '@esimlab/store';
import { z } from 'zod';
import type { CarrierContext } from '../../app/carrier-context.ts';
import {
  readIdempotencyKey,
  registerResourceReplier,
  withAdmittedIdempotency,
} from '../../http/idempotency.ts';
import { jsonListReply } from '../../http/json-list.ts';
import {
  afterCreatedAt,
  createdAtCursorSchema,
  createdAtPageOf,
  pageLimitSchema,
  pageSizeOf,
} from '../../http/page-query.ts';
import { notFound } from '../../http/problem.ts';
import { defineRoute, type RouteReply } from '../../http/route.ts';
import { problemSchema } from '../../http/schemas.ts';
import { type TopupRecord, topups } from '../../persistence/collections.ts';
import { readApiStyle } from '../config/api-style.ts';
import { findTenantEsim, iccidParamsSchema, tenantIdOf } from '../esims/esim-lookup.ts';
import { paymentMethodSchema } from '../gateway/payment-methods.ts';
import { crashPoint } from '../saga/payment-saga.ts';
import {
  buyTopup,
  declineOfTopup,
  refusalOfTopup,
  requireAddonPlan,
  topupRefusal,
} from './buy-topup.ts';
import { MAX_PROCESSING_MS } from './max-processing.ts';
import './topup-fulfilment.ts';
import { topupSchema, topupView } from './topup-view.ts';

const problem = (description: string) => ({ description, schema: problemSchema });

const topupRequestSchema = z.strictObject({
  planId: z.string().min(1).meta({ description: 'An add-on of this carrier (GET /v1/plans)' }),
  paymentMethod: paymentMethodSchema,
  clientReference: z
    .string()
    .min(1)
    .max(255)
    .optional()
    .meta({ description: "The client's own id for this purchase; look it up before retrying" }),
});

const MAX_TOPUP_PAGE = 1000;

const topupListQuerySchema = z.strictObject({
  clientReference: z.string().min(1).max(255).optional(),
  limit: pageLimitSchema(
    MAX_TOPUP_PAGE,
    `Page size, 1 to ${MAX_TOPUP_PAGE}; without it or a cursor, every top-up in one answer`,
  ),
  cursor: createdAtCursorSchema(z.string().min(1).max(64)),
});

/** 201 for a finished top-up, 202 for one the carrier completes later (`async`). */
function topupReply(topup: TopupRecord): RouteReply {
  return { status: topup.status === 'pending' ? 202 : 201, body: topupView(topup) };
}

async function replyForTopup(
  tx: StoreTx,
  _context: CarrierContext,
  id: string,
): Promise<RouteReply | undefined> {
  const topup = await tx.get(topups, id);
  if (!topup) return undefined;
  // A declined purchase was answered with its 402, or, if retryable (Retry-After), with no
  // stored answer at all: its key was released. Never a 201 for a refused payment.
  const decline = declineOfTopup(topup);
  if (decline) {
    if ('Retry-After' in decline.headers) return undefined;
    return { status: decline.status, body: decline.toBody(), headers: { ...decline.headers } };
  }
  // Refused when its data came to be credited (the eSIM cancelled, or another pass active by
  // then): its 409, for the key it was bought under and for recovery. An `async` key that
  // stored its 202 at acceptance keeps replaying that.
  const refusal = refusalOfTopup(topup);
  if (refusal) return { status: refusal.status, body: refusal.toBody() };
  return topupReply(topup);
}

registerResourceReplier('topup', replyForTopup);

export const topupRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/esims/{iccid}/topups',
    operationId: 'createTopup',
    summary:
      "Buy an add-on. How a retry is made safe depends on the carrier's API style: idempotent and async need an Idempotency-Key; reference: look up your clientReference first",
    tag: 'Top-ups',
    access: 'api-key',
    params: iccidParamsSchema,
    body: topupRequestSchema,
    idempotencyKey: 'required',
    responses: {
      201: { description: 'The top-up, credited and captured', schema: topupSchema },
      202: {
        description: '`async` style: accepted, pending; completes later',
        schema: topupSchema,
      },
      400: problem('Invalid body; idempotency_key_required'),
      402: problem(
        'card_declined, insufficient_funds, processing_error (a failed top-up is recorded)',
      ),
      404: problem('esim_not_found'),
      409: problem(
        "pass_already_active, esim_cancelled (checked before paying, and again when the data is credited: then with the failed top-up's `topupId`, its charge voided), idempotency_key_in_use",
      ),
      422: problem('plan_not_found, idempotency_key_reused'),
    },
    async handle({ params, body, tenant, headers, signal }, context) {
      const tenantId = tenantIdOf(tenant);
      const plan = requireAddonPlan(context, body.planId);
      const order = {
        tenantId,
        iccid: params.iccid,
        planId: plan.id,
        paymentMethod: body.paymentMethod,
        ...(body.clientReference === undefined ? {} : { clientReference: body.clientReference }),
      };
      const reply = await withAdmittedIdempotency(
        context,
        { tenantId, method: 'post', path: `/v1/esims/${params.iccid}/topups`, body },
        async (tx) => {
          const esim = await findTenantEsim(tx, tenantId, params.iccid);
          const apiStyle = await readApiStyle(tx, context);
          // The reference style has no idempotency: a key, if sent, is ignored.
          const key =
            apiStyle === 'reference'
              ? undefined
              : readIdempotencyKey(headers['idempotency-key'], true);
          return { key, apiStyle, refusal: await topupRefusal(tx, context, esim, plan) };
        },
        async (claim, { key, apiStyle, refusal }) => {
          // Thrown under the claimed key, if there is one, so that a retry replays it.
          if (refusal) throw refusal;
          const outcome = await buyTopup(context, order, plan, {
            apiStyle,
            ...(claim ? { claim } : {}),
            ...(key === undefined ? {} : { idempotencyKey: key }),
            ...(apiStyle === 'reference' ? { signal } : {}),
          });
          return outcome.status === 'pending'
            ? topupReply(outcome.topup)
            : { resource: { kind: 'topup', id: outcome.topupId } };
        },
      );
      crashPoint(context, 'before-response');
      return {
        ...reply,
        headers: { ...reply.headers, 'Esimlab-Max-Processing-Ms': String(MAX_PROCESSING_MS) },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/topups/{id}',
    operationId: 'getTopup',
    summary: 'One top-up, with its status',
    tag: 'Top-ups',
    access: 'api-key',
    params: z.object({ id: z.string().min(1).max(64) }),
    responses: {
      200: { description: 'The top-up', schema: topupSchema },
      404: problem('topup_not_found'),
    },
    async handle({ params, tenant }, context) {
      const tenantId = tenantIdOf(tenant);
      const topup = await context.store.transaction((tx) => tx.get(topups, params.id));
      if (!topup || topup.tenantId !== tenantId) {
        throw notFound(
          'topup',
          params.id,
          "list an eSIM's top-ups with GET /v1/esims/{iccid}/topups",
        );
      }
      return { status: 200, body: topupView(topup) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/esims/{iccid}/topups',
    operationId: 'listTopups',
    summary:
      "An eSIM's top-ups, newest first; filter by clientReference to find a purchase before retrying it",
    tag: 'Top-ups',
    access: 'api-key',
    params: iccidParamsSchema,
    query: topupListQuerySchema,
    responses: {
      200: {
        description:
          'The top-ups, newest first (every one, or a page with `limit`); a declined purchase is listed as failed',
        schema: z.object({
          data: z.array(topupSchema),
          nextCursor: z.string().nullable().optional().meta({
            description:
              'Only in a page (`limit` or `cursor` given): pass it as `cursor` for the next, older page; null on the last one',
          }),
        }),
      },
      400: problem('A malformed clientReference, limit or cursor'),
      404: problem('esim_not_found'),
    },
    async handle({ params, query, tenant }, context) {
      const tenantId = tenantIdOf(tenant);
      const { cursor } = query;
      const size = pageSizeOf(query, MAX_TOPUP_PAGE);
      const found = await context.store.transaction(async (tx) => {
        await findTenantEsim(tx, tenantId, params.iccid);
        return tx.find(
          topups,
          query.clientReference === undefined
            ? { iccid: params.iccid }
            : { iccid: params.iccid, clientReference: query.clientReference },
          {
            orderBy: 'createdAt',
            direction: 'desc',
            ...afterCreatedAt(cursor),
            ...(size === undefined ? {} : { limit: size + 1 }),
          },
        );
      });
      const page = createdAtPageOf(found, size);
      return jsonListReply(page.shown, topupView, page.nextCursor);
    },
  }),
];
