import { profileStates, toIso } from '@esimlab/domain';
import type { StoreTx } from '@esimlab/store';
import { z } from 'zod';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { isoTime } from '../../http/schemas.ts';
import { type DeviceRecord, esims } from '../../persistence/collections.ts';
import { signals } from '../coverage/coverage-map.ts';
import { deviceCoverage } from '../coverage/current-coverage.ts';
import { locationSchema } from '../coverage/location-schema.ts';

export const deviceSchema = z
  .object({
    eid: z.string(),
    location: locationSchema,
    wifi: z.boolean(),
    signal: z.enum(signals),
    region: z.string(),
    profiles: z.array(z.object({ iccid: z.string(), state: z.enum(profileStates) })),
    createdAt: isoTime,
  })
  .meta({ id: 'Device' });

export type DeviceView = z.infer<typeof deviceSchema>;

/** A simulated phone as the control plane shows it: its signal here and its eSIM profiles. */
export async function deviceView(
  tx: StoreTx,
  context: CarrierContext,
  device: DeviceRecord,
): Promise<DeviceView> {
  const coverage = await deviceCoverage(tx, context, device);
  const bound = await tx.find(esims, { eid: device.eid }, { orderBy: 'createdAt' });
  return {
    eid: device.eid,
    location: { lat: device.location.lat, lon: device.location.lon },
    wifi: device.wifi,
    signal: coverage.signal,
    region: coverage.region,
    profiles: bound.map((esim) => ({ iccid: esim.iccid, state: esim.profile.state })),
    createdAt: toIso(device.createdAt),
  };
}
