import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import type { DeviceRecord } from '../../persistence/collections.ts';
import {
  type DeviceFaultInForce,
  type DeviceOperationFaults,
  deviceFaultsInForce,
} from '../faults/device-faults.ts';
import { readSettings } from '../settings/carrier-settings.ts';
import { type Coverage, coverageAt } from './coverage-at.ts';
import type { LatLon, Signal } from './coverage-map.ts';

/** What a device sees: the coverage where it is, and the coverage gap that took it away, if any. */
export interface DeviceCoverage extends Coverage {
  readonly gap?: DeviceFaultInForce;
}

/**
 * The carrier's coverage at a point now: its built-in map under the persisted overrides, under
 * the region-wide device faults in force (a `coverage-gap` region has no signal, a
 * `weak-signal` region a weak one at best).
 */
export async function currentCoverage(
  tx: StoreTx,
  context: CarrierContext,
  point: LatLon,
): Promise<Coverage> {
  const { coverageOverrides } = await readSettings(tx, context);
  const map = coverageAt(context.profile.id, coverageOverrides, point);
  const { signal, region } = underFaults(
    map,
    await deviceFaultsInForce(tx, context, { location: point }),
  );
  return { signal, region };
}

/**
 * What a device sees now: the coverage where it stands under the device faults in force for it
 * (by its EID or its region). For an operation, pass what `faultDeviceOperation` rolled: then
 * only the faults that fired for it count.
 */
export async function deviceCoverage(
  tx: StoreTx,
  context: CarrierContext,
  device: DeviceRecord,
  operation?: DeviceOperationFaults,
): Promise<DeviceCoverage> {
  const { coverageOverrides } = await readSettings(tx, context);
  const map = coverageAt(context.profile.id, coverageOverrides, device.location);
  if (operation === undefined) {
    return underFaults(map, await deviceFaultsInForce(tx, context, device));
  }
  if (operation.gap !== undefined) return { ...map, signal: 'none', gap: operation.gap };
  return operation.weak ? { ...map, signal: weakAtBest(map.signal) } : map;
}

function underFaults(map: Coverage, faults: readonly DeviceFaultInForce[]): DeviceCoverage {
  const gap = faults.find((fault) => fault.rule.kind === 'coverage-gap');
  if (gap !== undefined) return { ...map, signal: 'none', gap };
  if (faults.some((fault) => fault.rule.kind === 'weak-signal')) {
    return { ...map, signal: weakAtBest(map.signal) };
  }
  return map;
}

const weakAtBest = (signal: Signal): Signal => (signal === 'none' ? 'none' : 'weak');
