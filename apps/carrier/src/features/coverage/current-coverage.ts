import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { readSettings } from '../settings/carrier-settings.ts';
import { type Coverage, coverageAt } from './coverage-at.ts';
import type { LatLon } from './coverage-map.ts';

/** The carrier's coverage at a point now: its built-in map under the persisted overrides. */
export async function currentCoverage(
  tx: StoreTx,
  context: CarrierContext,
  point: LatLon,
): Promise<Coverage> {
  const { coverageOverrides } = await readSettings(tx, context);
  return coverageAt(context.profile.id, coverageOverrides, point);
}
