import { toIso } from '@esimlab/domain';
import { z } from 'zod';
import { isoTime, moneySchema } from '../../http/schemas.ts';
import type { TopupRecord } from '../../persistence/collections.ts';

export const topupSchema = z
  .object({
    id: z.string(),
    iccid: z.string(),
    planId: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    amount: moneySchema,
    dataBytes: z.number().int(),
    bonusBytes: z.number().int(),
    chargeId: z.string().nullable(),
    clientReference: z.string().nullable(),
    failureCode: z.string().optional(),
    createdAt: isoTime,
    completedAt: isoTime.nullable(),
  })
  .meta({ id: 'Topup' });

export type TopupView = z.infer<typeof topupSchema>;

/** A top-up as the HTTP contract shows it. */
export function topupView(topup: TopupRecord): TopupView {
  return {
    id: topup.id,
    iccid: topup.iccid,
    planId: topup.planId,
    status: topup.status,
    amount: topup.amount,
    dataBytes: topup.dataBytes,
    bonusBytes: topup.bonusBytes,
    chargeId: topup.chargeId,
    clientReference: topup.clientReference,
    ...(topup.failureCode === undefined ? {} : { failureCode: topup.failureCode }),
    createdAt: toIso(topup.createdAt),
    completedAt: topup.completedAt === null ? null : toIso(topup.completedAt),
  };
}
