import type { Plan } from '@esimlab/domain';
import { z } from 'zod';
import { moneySchema } from '../../http/schemas.ts';

export const planSchema = z
  .object({
    id: z.string(),
    carrier: z.enum(['att', 'tmobile', 'verizon']),
    name: z.string(),
    kind: z.enum(['base', 'addon']),
    addonKind: z.enum(['pass', 'boost']).optional(),
    dataBytes: z.number().int(),
    validityDays: z.number().int(),
    price: moneySchema,
    autoRenewable: z.boolean(),
    minTermDays: z.number().int(),
    earlyTerminationFee: moneySchema.nullable(),
    confirmationCodeRequired: z.boolean().optional(),
  })
  .meta({ id: 'Plan' });

/** A catalog plan as the HTTP contract shows it. */
export function planView(plan: Plan): z.infer<typeof planSchema> {
  return {
    id: plan.id,
    carrier: plan.carrier,
    name: plan.name,
    kind: plan.kind,
    ...(plan.kind === 'addon' ? { addonKind: plan.addonKind } : {}),
    dataBytes: plan.dataBytes,
    validityDays: plan.validityDays,
    price: plan.price,
    autoRenewable: plan.autoRenewable,
    minTermDays: plan.minTermDays,
    earlyTerminationFee: plan.earlyTerminationFee,
    ...(plan.kind === 'base' ? { confirmationCodeRequired: plan.confirmationCodeRequired } : {}),
  };
}
