import { generateEid } from '@esimlab/domain';
import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { ProblemError } from '../../http/problem.ts';
import { type DeviceRecord, devices } from '../../persistence/collections.ts';
import type { Location } from '../coverage/location-schema.ts';
import { recordEvent } from '../events/journal.ts';

export interface NewDevice {
  /** A valid EID (checked at the edge); generated when absent. */
  readonly eid?: string | undefined;
  readonly location: Location;
  readonly wifi: boolean;
}

export interface DeviceChange {
  readonly location?: Location | undefined;
  readonly wifi?: boolean | undefined;
}

/** Registers a simulated phone; 409 `device_already_exists` when its EID is taken. */
export async function createDevice(
  tx: StoreTx,
  context: CarrierContext,
  draft: NewDevice,
): Promise<DeviceRecord> {
  const eid = draft.eid ?? (await unusedEid(tx, context));
  if (await tx.get(devices, eid)) {
    throw new ProblemError(
      409,
      'device_already_exists',
      `a device with EID ${eid} already exists; move it with PATCH /_sim/devices/${eid}, or omit \`eid\` to get a fresh one`,
    );
  }
  const device: DeviceRecord = {
    eid,
    location: { lat: draft.location.lat, lon: draft.location.lon },
    wifi: draft.wifi,
    createdAt: context.clock.now(),
  };
  await tx.insert(devices, device);
  await recordEvent(tx, context, {
    type: 'device.created',
    eid,
    data: { location: device.location, wifi: device.wifi },
  });
  return device;
}

/** The device with this EID, or 404 `device_not_found`. */
export async function findDevice(tx: StoreTx, eid: string): Promise<DeviceRecord> {
  const device = await tx.get(devices, eid);
  if (!device) {
    throw new ProblemError(
      404,
      'device_not_found',
      `no device with EID ${eid}; create it with POST /_sim/devices or list devices with GET /_sim/devices`,
    );
  }
  return device;
}

/** Moves a device and/or turns its wifi on or off, journaling what actually changed. */
export async function changeDevice(
  tx: StoreTx,
  context: CarrierContext,
  eid: string,
  change: DeviceChange,
): Promise<DeviceRecord> {
  const device = await findDevice(tx, eid);
  const location = change.location ?? device.location;
  const wifi = change.wifi ?? device.wifi;
  const moved = location.lat !== device.location.lat || location.lon !== device.location.lon;
  if (!moved && wifi === device.wifi) return device;
  const updated: DeviceRecord = {
    ...device,
    location: { lat: location.lat, lon: location.lon },
    wifi,
  };
  await tx.update(devices, updated);
  if (moved) {
    await recordEvent(tx, context, {
      type: 'device.moved',
      eid,
      data: { from: device.location, to: updated.location },
    });
  }
  if (wifi !== device.wifi) {
    await recordEvent(tx, context, { type: wifi ? 'device.wifi_on' : 'device.wifi_off', eid });
  }
  return updated;
}

// 28 random digits make a clash practically impossible; the loop keeps it impossible.
async function unusedEid(tx: StoreTx, context: CarrierContext): Promise<string> {
  for (;;) {
    const eid = generateEid(context.random);
    if (!(await tx.get(devices, eid))) return eid;
  }
}
