import { z } from 'zod';
import { defineRoute } from '../../http/route.ts';
import { problemSchema } from '../../http/schemas.ts';
import { iccidParamsSchema, tenantIdOf } from '../esims/esim-lookup.ts';
import { esimSchema, esimView } from '../esims/esim-view.ts';
import { requestBaseUrl } from '../esims/qr-code.ts';
import { paymentMethodSchema } from '../gateway/payment-methods.ts';
import { updateRenewalSettings } from './update-renewal-settings.ts';

const problem = (description: string) => ({ description, schema: problemSchema });

const esimUpdateSchema = z
  .strictObject({
    autoRenew: z
      .boolean()
      .optional()
      .meta({ description: 'Renew the base plan automatically when its period ends' }),
    paymentMethod: paymentMethodSchema.optional(),
  })
  .refine((body) => body.autoRenew !== undefined || body.paymentMethod !== undefined, {
    message: 'send at least one of `autoRenew` (a boolean) or `paymentMethod`',
  })
  .meta({ id: 'EsimUpdate' });

export const renewalRoutes = [
  defineRoute({
    method: 'patch',
    path: '/v1/esims/{iccid}',
    operationId: 'updateEsim',
    summary:
      'Turn auto-renewal on or off, or change the payment method; a new payment method retries a renewal in grace or suspended at once',
    tag: 'eSIMs',
    access: 'api-key',
    params: iccidParamsSchema,
    body: esimUpdateSchema,
    responses: {
      200: {
        description: 'The eSIM after the change (and after any renewal it retried)',
        schema: esimSchema,
      },
      400: problem('The ICCID or the body is invalid'),
      404: problem('esim_not_found'),
      409: problem('esim_cancelled'),
      422: problem('auto_renew_unavailable: the plan does not renew automatically'),
    },
    async handle({ params, body, tenant, headers }, context) {
      const { esim, balance } = await updateRenewalSettings(context, {
        tenantId: tenantIdOf(tenant),
        iccid: params.iccid,
        autoRenew: body.autoRenew,
        paymentMethod: body.paymentMethod,
      });
      return {
        status: 200,
        body: esimView(esim, balance, context.clock.now(), requestBaseUrl(headers)),
      };
    },
  }),
];
