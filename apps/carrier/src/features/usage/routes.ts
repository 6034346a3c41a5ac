import { z } from 'zod';
import { defineRoute } from '../../http/route.ts';
import { problemSchema } from '../../http/schemas.ts';
import { faultDeviceOperation } from '../faults/device-faults.ts';
import { consumeData } from './consume-data.ts';

const dataUseSchema = z.strictObject({
  bytes: z
    .number({ error: 'bytes must be a whole number of bytes' })
    .int('bytes must be a whole number of bytes')
    .positive('bytes must be greater than 0'),
  iccid: z
    .string()
    .min(1)
    .max(32)
    .optional()
    .meta({ description: 'The enabled profile to use; default the most recently activated one' }),
});

const problem = (description: string) => ({ description, schema: problemSchema });

export const usageRoutes = [
  defineRoute({
    method: 'post',
    path: '/_sim/devices/{eid}/usage',
    operationId: 'useDeviceData',
    summary: 'The phone uses mobile data: drains its enabled profile in consumption order',
    tag: 'Simulation',
    access: 'control-plane',
    params: z.object({ eid: z.string() }),
    body: dataUseSchema,
    responses: {
      200: {
        description: 'What was consumed (never more than was left) and what is left',
        schema: z
          .object({
            iccid: z.string(),
            requestedBytes: z.number().int(),
            consumedBytes: z.number().int(),
            dataRemainingBytes: z.number().int(),
            dataUsedBytes: z.number().int(),
            throttled: z.boolean(),
          })
          .meta({ id: 'DataUse' }),
      },
      400: problem('bytes is not a positive whole number'),
      404: problem('device_not_found'),
      409: problem('no_active_profile: no enabled profile on the device'),
      503: problem('network_unreachable: no cellular signal where the device is'),
    },
    async handle({ params, body }, context) {
      const faults = await faultDeviceOperation(context, params.eid, 'mobile-data');
      const outcome = await context.store.transaction((tx) =>
        consumeData(tx, context, params.eid, body, faults),
      );
      return { status: 200, body: outcome };
    },
  }),
];
