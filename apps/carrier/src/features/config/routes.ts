import { apiStyles } from '@esimlab/domain';
import type { StoreTx } from '@esimlab/store';
import { z } from 'zod';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { defineRoute } from '../../http/route.ts';
import { recordEvent } from '../events/journal.ts';
import { readSettings, writeSettings } from '../settings/carrier-settings.ts';
import { MAX_PROCESSING_MS } from '../topups/max-processing.ts';

const apiStyleSchema = z.enum(apiStyles).meta({
  id: 'ApiStyle',
  description:
    '`idempotent`: Idempotency-Key (Stripe semantics); `reference`: look up `clientReference` before retrying; `async`: 202, completion later, webhooks',
});

const configSchema = z
  .object({
    carrier: z.enum(['att', 'tmobile', 'verizon']),
    displayName: z.string(),
    apiStyle: apiStyleSchema,
    defaultApiStyle: apiStyleSchema,
    timeZone: z.string().meta({ description: "The carrier's home IANA time zone" }),
    smdpAddress: z.string().meta({ description: 'The SM-DP+ FQDN in activation codes' }),
    adminTokenRequired: z
      .boolean()
      .meta({ description: 'Whether /_sim/* requires the X-Sim-Admin-Token header' }),
    asyncCompletionMs: z.number().int().meta({
      description: '`async` style: wall-clock ms from acceptance to completion of a top-up',
    }),
    maxProcessingMs: z.number().int().meta({
      description:
        'The longest a top-up takes from arrival to commit; a `reference` client waits longer than this before looking up its clientReference',
    }),
  })
  .meta({ id: 'CarrierConfig' });

async function configView(
  tx: StoreTx,
  context: CarrierContext,
): Promise<z.infer<typeof configSchema>> {
  const settings = await readSettings(tx, context);
  return {
    carrier: context.profile.id,
    displayName: context.profile.displayName,
    apiStyle: settings.apiStyle,
    defaultApiStyle: context.profile.defaultApiStyle,
    timeZone: context.profile.timeZone,
    smdpAddress: context.profile.smdpAddress,
    adminTokenRequired: context.adminToken !== undefined,
    asyncCompletionMs: settings.asyncCompletionMs,
    maxProcessingMs: MAX_PROCESSING_MS,
  };
}

export const configRoutes = [
  defineRoute({
    method: 'get',
    path: '/_sim/config',
    operationId: 'getConfig',
    summary: "The carrier's identity and run-time settings",
    tag: 'Control plane',
    access: 'control-plane',
    responses: { 200: { description: 'The configuration', schema: configSchema } },
    async handle(_input, context) {
      return {
        status: 200,
        body: await context.store.transaction((tx) => configView(tx, context)),
      };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/_sim/config',
    operationId: 'updateConfig',
    summary: 'Change run-time settings, e.g. switch the API style',
    tag: 'Control plane',
    access: 'control-plane',
    body: z.strictObject({
      apiStyle: apiStyleSchema.optional(),
      asyncCompletionMs: z.number().int().min(0).max(3_600_000).optional(),
    }),
    responses: { 200: { description: 'The configuration after the change', schema: configSchema } },
    async handle({ body }, context) {
      const config = await context.store.transaction(async (tx) => {
        const before = await readSettings(tx, context);
        if (body.apiStyle !== undefined && body.apiStyle !== before.apiStyle) {
          await writeSettings(tx, context, { apiStyle: body.apiStyle });
          await recordEvent(tx, context, {
            type: 'config.changed',
            data: { apiStyle: body.apiStyle, previousApiStyle: before.apiStyle },
          });
        }
        if (
          body.asyncCompletionMs !== undefined &&
          body.asyncCompletionMs !== before.asyncCompletionMs
        ) {
          await writeSettings(tx, context, { asyncCompletionMs: body.asyncCompletionMs });
          await recordEvent(tx, context, {
            type: 'config.changed',
            data: { asyncCompletionMs: body.asyncCompletionMs },
          });
        }
        return configView(tx, context);
      });
      return { status: 200, body: config };
    },
  }),
];
