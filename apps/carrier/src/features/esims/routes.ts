import type { Balance } from '@esimlab/domain';
import { z } from 'zod';
import {
  readIdempotencyKey,
  registerResourceReplier,
  withIdempotency,
} from '../../http/idempotency.ts';
import { notFound, unauthenticated } from '../../http/problem.ts';
import { defineRoute, type RouteReply } from '../../http/route.ts';
import { problemSchema } from '../../http/schemas.ts';
import { type EsimRecord, esims } from '../../persistence/collections.ts';
import { balanceNow } from '../ledger/esim-ledger.ts';
import { authenticate, DEV_API_KEY } from '../tenants/tenant-keys.ts';
import { findTenantEsim, iccidParamsSchema, tenantIdOf } from './esim-lookup.ts';
import { esimSchema, esimView } from './esim-view.ts';
import { listEsims, listEsimsQuerySchema } from './list-esims.ts';
import { esimOrderSchema, orderEsim, requireBasePlan } from './order-esim.ts';
import { renderQrPng, requestBaseUrl } from './qr-code.ts';

const problem = (description: string) => ({ description, schema: problemSchema });

const usageSchema = z
  .object({
    dataUsedBytes: z.number().int(),
    dataRemainingBytes: z.number().int(),
    throttled: z
      .boolean()
      .meta({ description: 'The service started and no data is left: speeds are throttled' }),
  })
  .meta({ id: 'EsimUsage' });

/** The 201 of an order: the eSIM, with its confirmation code (shown only here). */
function orderReply(esim: EsimRecord, balance: Balance, now: number, baseUrl: string): RouteReply {
  const code = esim.profile.confirmationCode;
  return {
    status: 201,
    headers: { Location: `/v1/esims/${esim.iccid}` },
    body: {
      ...esimView(esim, balance, now, baseUrl),
      ...(code === undefined ? {} : { confirmationCode: code }),
    },
  };
}

// After a crash between the order's commit and its key's reply, the reply is rebuilt from the eSIM.
registerResourceReplier('esim', async (tx, context, iccid, meta) => {
  const esim = await tx.get(esims, iccid);
  if (!esim) return undefined;
  return orderReply(
    esim,
    await balanceNow(tx, context, iccid),
    context.clock.now(),
    meta.baseUrl ?? '',
  );
});

export const esimRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/esims',
    operationId: 'createEsim',
    summary:
      'Order an eSIM on a base plan; the charge is captured when the profile is first enabled',
    tag: 'eSIMs',
    access: 'api-key',
    body: esimOrderSchema,
    idempotencyKey: 'optional',
    responses: {
      201: {
        description: 'The eSIM, with its confirmation code if the plan needs one',
        schema: esimSchema,
      },
      400: problem('Invalid body, or an invalid Idempotency-Key'),
      402: problem(
        'card_declined, insufficient_funds, or processing_error (retry after Retry-After)',
      ),
      409: problem('idempotency_key_in_use: a request with this key is still running'),
      422: problem('plan_not_found, or idempotency_key_reused with another body'),
    },
    async handle({ body, tenant, headers }, context) {
      const tenantId = tenantIdOf(tenant);
      const key = readIdempotencyKey(headers['idempotency-key'], false);
      requireBasePlan(context, body.planId);
      const baseUrl = requestBaseUrl(headers);
      return withIdempotency(
        context,
        { tenantId, method: 'post', path: '/v1/esims', key, body },
        async (claim) => {
          const placed = await orderEsim(context, {
            ...(claim ? { claim } : {}),
            baseUrl,
            tenantId,
            planId: body.planId,
            paymentMethod: body.paymentMethod,
            subscriber: body.subscriber,
            ...(body.eid === undefined ? {} : { eid: body.eid }),
            ...(key === undefined ? {} : { idempotencyKey: key }),
          });
          return orderReply(placed.esim, placed.balance, context.clock.now(), baseUrl);
        },
      );
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/esims',
    operationId: 'listEsims',
    summary: "The tenant's eSIMs, oldest first, a page at a time",
    tag: 'eSIMs',
    access: 'api-key',
    query: listEsimsQuerySchema,
    responses: {
      200: {
        description: 'A page of eSIMs; nextCursor is null on the last page',
        schema: z.object({ data: z.array(esimSchema), nextCursor: z.string().nullable() }),
      },
      400: problem('A bad limit or cursor'),
    },
    async handle({ query, tenant, headers }, context) {
      const tenantId = tenantIdOf(tenant);
      const baseUrl = requestBaseUrl(headers);
      const body = await context.store.transaction(async (tx) => {
        const page = await listEsims(tx, tenantId, {
          ...(query.limit === undefined ? {} : { limit: query.limit }),
          ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
        });
        const now = context.clock.now();
        const data = [];
        for (const esim of page.esims) {
          data.push(esimView(esim, await balanceNow(tx, context, esim.iccid), now, baseUrl));
        }
        return { data, nextCursor: page.nextCursor };
      });
      return { status: 200, body };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/esims/{iccid}',
    operationId: 'getEsim',
    summary: 'One eSIM: identifiers, profile state, service status and balance',
    tag: 'eSIMs',
    access: 'api-key',
    params: iccidParamsSchema,
    responses: {
      200: { description: 'The eSIM (never its confirmation code)', schema: esimSchema },
      400: problem('The ICCID is malformed'),
      404: problem('esim_not_found'),
    },
    async handle({ params, tenant, headers }, context) {
      const tenantId = tenantIdOf(tenant);
      const body = await context.store.transaction(async (tx) => {
        const esim = await findTenantEsim(tx, tenantId, params.iccid);
        const balance = await balanceNow(tx, context, esim.iccid);
        return esimView(esim, balance, context.clock.now(), requestBaseUrl(headers));
      });
      return { status: 200, body };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/esims/{iccid}/usage',
    operationId: 'getEsimUsage',
    summary: 'Data used and left, in bytes',
    tag: 'eSIMs',
    access: 'api-key',
    params: iccidParamsSchema,
    responses: {
      200: { description: 'Usage derived from the ledger', schema: usageSchema },
      400: problem('The ICCID is malformed'),
      404: problem('esim_not_found'),
    },
    async handle({ params, tenant }, context) {
      const tenantId = tenantIdOf(tenant);
      const body = await context.store.transaction(async (tx) => {
        const esim = await findTenantEsim(tx, tenantId, params.iccid);
        const balance = await balanceNow(tx, context, esim.iccid);
        return {
          dataUsedBytes: balance.dataUsedBytes,
          dataRemainingBytes: balance.dataRemainingBytes,
          throttled: esim.profile.firstEnabledAt !== undefined && balance.dataRemainingBytes === 0,
        };
      });
      return { status: 200, body };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/esims/{iccid}/qr.png',
    operationId: 'getEsimQrCode',
    summary:
      'The activation code as a PNG QR code: with the API key, or through qrCodeUrl without one',
    tag: 'eSIMs',
    // Public so an <img src=qrCodeUrl> works; the handler checks the key or the capability token.
    access: 'public',
    params: iccidParamsSchema,
    query: z.object({
      token: z
        .string()
        .max(256)
        .optional()
        .meta({ description: 'The capability token from qrCodeUrl; not needed with an API key' }),
    }),
    responses: {
      200: { description: 'A PNG QR code of the activation code', contentType: 'image/png' },
      400: problem('The ICCID is malformed'),
      401: problem('Neither an API key nor a token'),
      404: problem('esim_not_found, or a token that does not open this eSIM'),
    },
    async handle({ params, query, headers }, context) {
      const authorization = headers.authorization;
      const tenant =
        authorization !== undefined || query.token === undefined
          ? await authenticateForQr(context, authorization)
          : undefined;
      const esim = await context.store.transaction(async (tx) => {
        if (tenant) return findTenantEsim(tx, tenant.id, params.iccid);
        const [byToken] = await tx.find(esims, { qrToken: query.token ?? '' }, { limit: 1 });
        // A wrong token looks exactly like an unknown eSIM: it must not confirm the ICCID exists.
        if (!byToken || byToken.iccid !== params.iccid) {
          throw notFound('esim', params.iccid, 'use the qrCodeUrl of the eSIM exactly as returned');
        }
        return byToken;
      });
      return {
        status: 200,
        headers: { 'Cache-Control': 'private, no-store' },
        raw: { contentType: 'image/png', data: await renderQrPng(esim.activationCode) },
      };
    },
  }),
];

function authenticateForQr(
  context: Parameters<typeof authenticate>[0],
  authorization: string | undefined,
) {
  if (authorization === undefined) {
    throw unauthenticated(
      `send an API key as "Authorization: Bearer <api key>" (the dev key is ${DEV_API_KEY}), or open the eSIM's qrCodeUrl, which carries a token`,
    );
  }
  return authenticate(context, authorization);
}
