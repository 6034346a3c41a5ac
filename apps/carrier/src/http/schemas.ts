import { z } from 'zod';

/** Money as integer minor units, as everywhere in the contract. */
export const moneySchema = z
  .object({ amount: z.number().int(), currency: z.literal('USD') })
  .meta({ id: 'Money' });

/** RFC 9457 problem details with the carrier's stable `code`. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

/** ISO 8601 UTC timestamps. */
export const isoTime = z.string().meta({ format: 'date-time' });
