import { chargePurposeKinds, chargeStatuses, toIso } from '@esimlab/domain';
import { z } from 'zod';
import { isoTime, moneySchema } from '../../http/schemas.ts';
import type { ChargeRecord } from '../../persistence/collections.ts';

export const gatewayChargeSchema = z
  .object({
    id: z.string(),
    amount: moneySchema,
    status: z.enum(chargeStatuses),
    purpose: z.object({ kind: z.enum(chargePurposeKinds), ref: z.string() }),
    idempotencyKey: z.string().optional(),
    clientReference: z.string().optional(),
    createdAt: isoTime,
  })
  .meta({ id: 'GatewayCharge' });

export type GatewayChargeView = z.infer<typeof gatewayChargeSchema>;

/** A gateway charge as `GET /_sim/gateway/charges` shows it. */
export function chargeView(charge: ChargeRecord): GatewayChargeView {
  return {
    id: charge.id,
    amount: charge.amount,
    status: charge.status,
    purpose: { kind: charge.purpose.kind, ref: charge.purpose.ref },
    ...(charge.idempotencyKey === undefined ? {} : { idempotencyKey: charge.idempotencyKey }),
    ...(charge.clientReference === undefined ? {} : { clientReference: charge.clientReference }),
    createdAt: toIso(charge.createdAt),
  };
}
