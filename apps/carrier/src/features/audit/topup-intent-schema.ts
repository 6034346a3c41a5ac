import type { PlanId, TopupIntent } from '@esimlab/domain';
import { z } from 'zod';
import { iccidSchema } from '../esims/esim-lookup.ts';

const intentOutcomeSchema = z
  .discriminatedUnion(
    'status',
    [
      z.strictObject({
        status: z.literal('ok'),
        topupId: z
          .string()
          .min(1)
          .max(64)
          .optional()
          .meta({ description: 'The top-up the client saw credited, when it knows its id' }),
      }),
      z.strictObject({ status: z.literal('failed') }),
      z.strictObject({ status: z.literal('unknown') }),
    ],
    { error: 'outcome.status must be ok, failed or unknown' },
  )
  .meta({
    description:
      'What the client knows: ok (saw the credit), failed (told nothing was charged), unknown (gave up without knowing)',
  });

/** One top-up a client attempted, as `@esimlab/domain`'s `TopupIntent`. */
export const topupIntentSchema = z
  .strictObject({
    intentId: z.string().min(1).max(128).meta({ description: "The client's id for the attempt" }),
    iccid: iccidSchema,
    planId: z.string().min(1).max(64).meta({ example: 'att-boost-5gb' }),
    clientReference: z.string().min(1).max(255).optional(),
    idempotencyKey: z.string().min(1).max(255).optional(),
    outcome: intentOutcomeSchema,
  })
  .transform(
    (intent): TopupIntent => ({
      intentId: intent.intentId,
      iccid: intent.iccid,
      // The plan the client asked for, sold or not: the audit only matches it, never prices it.
      planId: intent.planId as PlanId,
      ...(intent.clientReference === undefined ? {} : { clientReference: intent.clientReference }),
      ...(intent.idempotencyKey === undefined ? {} : { idempotencyKey: intent.idempotencyKey }),
      outcome:
        intent.outcome.status === 'ok' && intent.outcome.topupId !== undefined
          ? { status: 'ok', topupId: intent.outcome.topupId }
          : { status: intent.outcome.status },
    }),
  )
  .meta({ id: 'TopupIntent' });

/**
 * `POST /_sim/audit`: the intents to join with the ledger and the gateway. Ids must be unique,
 * since the report names intents by id.
 */
export const auditWithIntentsSchema = z
  .strictObject({
    intents: z
      .array(topupIntentSchema)
      .superRefine((intents, ctx) => {
        const seen = new Set<string>();
        intents.forEach((intent, index) => {
          if (seen.has(intent.intentId)) {
            ctx.addIssue({
              code: 'custom',
              path: [index, 'intentId'],
              message: `intent id ${intent.intentId} appears twice; give every intent its own id`,
            });
          }
          seen.add(intent.intentId);
        });
      })
      .meta({
        description:
          'The intent log. The 64 KiB body limit holds a few hundred intents; audit a longer log in batches, keeping the intents of one eSIM in one batch',
      }),
  })
  .meta({ id: 'AuditWithIntents' });
