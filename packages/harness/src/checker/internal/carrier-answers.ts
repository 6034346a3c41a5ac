import {
  bucketKinds,
  chargePurposeKinds,
  creditSourceKinds,
  currencies,
  type LedgerEntry,
  violationKinds,
} from '@esimlab/domain';
import { z } from 'zod';

// The carrier answers the checker reads, validated: a carrier of another version fails loudly.

/** An ISO 8601 time, read as epoch milliseconds (the domain's time). */
const isoMillis = z.string().transform((value, ctx) => {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: `not an ISO 8601 time: ${value}` });
    return z.NEVER;
  }
  return ms;
});

const money = z.object({ amount: z.number().int(), currency: z.enum(currencies) });

const common = { id: z.string(), at: isoMillis, iccid: z.string() };
const chargeStep = <T extends string>(type: T) =>
  z.object({ ...common, type: z.literal(type), chargeId: z.string() });

const ledgerEntry = z.discriminatedUnion('type', [
  z.object({
    ...common,
    type: z.literal('charge_authorized'),
    chargeId: z.string(),
    amount: money,
    purpose: z.object({ kind: z.enum(chargePurposeKinds), ref: z.string() }),
  }),
  chargeStep('charge_captured'),
  chargeStep('charge_voided'),
  chargeStep('charge_refunded'),
  z.object({
    ...common,
    type: z.literal('data_credited'),
    bucketId: z.string(),
    bucket: z.enum(bucketKinds),
    bytes: z.number().int(),
    expiresAt: isoMillis,
    source: z.object({ kind: z.enum(creditSourceKinds), ref: z.string() }),
  }),
  z.object({ ...common, type: z.literal('data_consumed'), bytes: z.number().int() }),
  z.object({ ...common, type: z.literal('data_expired'), bucketId: z.string() }),
  z.object({
    ...common,
    type: z.literal('fee_assessed'),
    chargeId: z.string(),
    amount: money,
    ref: z.string(),
  }),
]);

/** `GET /_sim/ledger`: entries in append order, times as epoch milliseconds. */
export const ledgerAnswer = z
  .object({ data: z.array(ledgerEntry) })
  .transform((answer): LedgerEntry[] => answer.data);

/** `GET /_sim/clock` */
export const clockAnswer = z.object({ now: isoMillis }).transform((answer) => answer.now);

/** `GET /v1/esims/{iccid}/usage` */
export const usageAnswer = z.object({
  dataUsedBytes: z.number().int(),
  dataRemainingBytes: z.number().int(),
  throttled: z.boolean(),
});

const evidence = z.object({
  chargeIds: z.array(z.string()),
  entryIds: z.array(z.string()),
  intentIds: z.array(z.string()),
  idempotencyKeys: z.array(z.string()),
});

/** `POST /_sim/audit` */
export const auditAnswer = z.object({
  ok: z.boolean(),
  violations: z.array(
    z.object({
      kind: z.enum(violationKinds),
      message: z.string(),
      iccid: z.string().optional(),
      scope: z.object({ tenantId: z.string(), method: z.string(), path: z.string() }).optional(),
      evidence,
    }),
  ),
  unknownIntents: z.array(
    z.object({
      intentId: z.string(),
      resolution: z.enum([
        'charged_and_credited',
        'not_charged',
        'charged_more_than_once',
        'charged_not_credited',
        'credited_without_charge',
        'credited_more_than_once',
      ]),
      chargeIds: z.array(z.string()),
      entryIds: z.array(z.string()),
    }),
  ),
});
export type AuditAnswer = z.infer<typeof auditAnswer>;
export type AuditAnswerViolation = AuditAnswer['violations'][number];

/** `GET /v1/webhook-endpoints/{id}/deliveries`: newest first. */
export const deliveriesAnswer = z
  .object({
    data: z.array(
      z.object({
        id: z.string(),
        eventId: z.string(),
        type: z.string(),
        status: z.enum(['pending', 'delivered', 'failed']),
        attempts: z.array(z.object({ at: z.string() })),
        nextAttemptAt: isoMillis.nullable(),
        createdAt: isoMillis,
      }),
    ),
  })
  .transform((answer) => answer.data);
export type DeliveryAnswer = z.infer<typeof deliveriesAnswer>[number];
