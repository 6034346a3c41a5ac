import { profileStates, toIso } from '@esimlab/domain';
import { z } from 'zod';
import { isoTime, moneySchema } from '../../http/schemas.ts';
import type { CancellationRecord, EsimRecord } from '../../persistence/collections.ts';
import { serviceStatuses } from '../esims/esim-view.ts';

export const cancellationSchema = z
  .object({
    iccid: z.string(),
    state: z.enum(profileStates).meta({
      description:
        'SGP.22 profile state: `unavailable` when a never-downloaded profile was withdrawn',
    }),
    status: z.enum(serviceStatuses).meta({ description: 'Service status: `cancelled`' }),
    earlyTerminationFee: moneySchema
      .nullable()
      .meta({ description: 'The fee charged for leaving within the minimum term; null if none' }),
    chargeId: z
      .string()
      .nullable()
      .meta({ description: "The fee's gateway charge; null when there is no fee" }),
    cancelledAt: isoTime,
  })
  .meta({ id: 'EsimCancellation' });

export type CancellationView = z.infer<typeof cancellationSchema>;

/** A completed cancellation as `POST /v1/esims/{iccid}/cancel` answers it. */
export function cancellationView(
  cancellation: CancellationRecord,
  esim: EsimRecord,
): CancellationView {
  return {
    iccid: esim.iccid,
    state: esim.profile.state,
    status: esim.status,
    earlyTerminationFee: cancellation.fee,
    chargeId: cancellation.chargeId,
    cancelledAt: toIso(esim.cancelledAt ?? cancellation.completedAt ?? cancellation.createdAt),
  };
}
