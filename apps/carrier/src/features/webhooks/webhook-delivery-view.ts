import { toIso } from '@esimlab/domain';
import { z } from 'zod';
import { isoTime } from '../../http/schemas.ts';
import type { WebhookDeliveryRecord } from '../../persistence/collections.ts';

const attemptSchema = z
  .object({
    at: isoTime,
    statusCode: z.number().int().optional().meta({ description: "The receiver's HTTP status" }),
    error: z
      .string()
      .optional()
      .meta({ description: 'Why no status came back (refused, reset, timeout)' }),
    durationMs: z.number().int(),
  })
  .meta({ id: 'WebhookAttempt' });

export const webhookDeliverySchema = z
  .object({
    id: z.string(),
    eventId: z.string().meta({ description: 'The same on every attempt: receivers dedupe on it' }),
    type: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.array(attemptSchema),
    nextAttemptAt: isoTime.nullable().meta({ description: 'The next retry, while pending' }),
    createdAt: isoTime,
  })
  .meta({ id: 'WebhookDelivery' });

export const webhookDeliveryView = (
  delivery: WebhookDeliveryRecord,
): z.infer<typeof webhookDeliverySchema> => ({
  id: delivery.id,
  eventId: delivery.eventId,
  type: delivery.type,
  status: delivery.status,
  attempts: delivery.attempts.map((attempt) => ({
    at: toIso(attempt.at),
    ...(attempt.statusCode === undefined ? {} : { statusCode: attempt.statusCode }),
    ...(attempt.error === undefined ? {} : { error: attempt.error }),
    durationMs: Math.round(attempt.durationMs),
  })),
  nextAttemptAt: delivery.nextAttemptAt === null ? null : toIso(delivery.nextAttemptAt),
  createdAt: toIso(delivery.createdAt),
});
