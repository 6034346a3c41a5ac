import { type Balance, profileStates, toIso } from '@esimlab/domain';
import { z } from 'zod';
import { isoTime } from '../../http/schemas.ts';
import type { EsimRecord, ServiceStatus } from '../../persistence/collections.ts';
import { qrCodeUrl } from './qr-code.ts';

export const serviceStatuses = ['active', 'grace', 'suspended', 'cancelled', 'expired'] as const;

export const esimBalanceSchema = z
  .object({
    dataRemainingBytes: z.number().int(),
    expiresAt: isoTime
      .nullable()
      .meta({ description: 'When the base plan runs out; null before the service starts' }),
  })
  .meta({ id: 'EsimBalance' });

export const esimSchema = z
  .object({
    iccid: z.string(),
    msisdn: z.string().meta({ description: 'E.164, always in the fictional 555-0100..0199 block' }),
    imsi: z.string(),
    eid: z
      .string()
      .nullable()
      .meta({ description: 'The device the profile is bound to, once known' }),
    state: z.enum(profileStates).meta({ description: 'SGP.22 profile state' }),
    status: z.enum(serviceStatuses).meta({ description: 'Service status' }),
    planId: z.string(),
    activationCode: z.string().meta({ example: 'LPA:1$smdp.att.esimlab.test$K3Q9-7ZDA-0M2X-P4TB' }),
    confirmationCodeRequired: z.boolean(),
    confirmationCode: z
      .string()
      .optional()
      .meta({ description: 'Only in the response that creates the eSIM, and only when required' }),
    qrCodeUrl: z
      .string()
      .meta({ description: 'A capability URL of the QR code PNG; no API key needed' }),
    balance: esimBalanceSchema,
    autoRenew: z.boolean(),
    createdAt: isoTime,
  })
  .meta({ id: 'Esim' });

export type EsimView = z.infer<typeof esimSchema>;

/**
 * The service status a subscriber sees now: an active eSIM whose base plan ran out after its
 * service started is `expired`, even before a renewal job has touched the record.
 */
export function serviceStatusAt(esim: EsimRecord, balance: Balance, now: number): ServiceStatus {
  const started = esim.profile.firstEnabledAt !== undefined;
  const baseRanOut = balance.expiresAt === null || balance.expiresAt <= now;
  return esim.status === 'active' && started && baseRanOut ? 'expired' : esim.status;
}

/** An eSIM as the HTTP contract shows it; the confirmation code is never part of it. */
export function esimView(
  esim: EsimRecord,
  balance: Balance,
  now: number,
  baseUrl: string,
): EsimView {
  return {
    iccid: esim.iccid,
    msisdn: esim.msisdn,
    imsi: esim.imsi,
    eid: esim.eid ?? esim.profile.eid ?? null,
    state: esim.profile.state,
    status: serviceStatusAt(esim, balance, now),
    planId: esim.planId,
    activationCode: esim.activationCode,
    confirmationCodeRequired: esim.confirmationCodeRequired,
    qrCodeUrl: qrCodeUrl(baseUrl, esim),
    balance: {
      dataRemainingBytes: balance.dataRemainingBytes,
      expiresAt: balance.expiresAt === null ? null : toIso(balance.expiresAt),
    },
    autoRenew: esim.autoRenew,
    createdAt: toIso(esim.createdAt),
  };
}
