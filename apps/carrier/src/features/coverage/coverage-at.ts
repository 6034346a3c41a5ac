import type { CarrierId } from '@esimlab/domain';
import type { CoverageOverride } from '../../persistence/collections.ts';
import {
  type CoverageRegion,
  coverageRegions,
  type LatLon,
  OUTSIDE_US,
  type Signal,
  usTerritories,
} from './coverage-map.ts';
import { areaContains, circleContains } from './internal/geometry.ts';

/** What a phone at a point sees: the signal and the region that decided it. */
export interface Coverage {
  readonly signal: Signal;
  /** A built-in region id, an override's name, or `outside-us`. */
  readonly region: string;
}

/**
 * The carrier's signal at a point. Overrides win, the most recently added first (they exist
 * to punch gaps into the map); then the first named region of the carrier's map, but only
 * inside a US territory, so a metro's circle never reaches across a border; then the
 * territory's default; `outside-us` (none) everywhere else.
 */
export function coverageAt(
  carrier: CarrierId,
  overrides: readonly CoverageOverride[],
  point: LatLon,
): Coverage {
  for (let i = overrides.length - 1; i >= 0; i--) {
    const override = overrides[i] as CoverageOverride;
    if (circleContains(override.center, override.radiusKm, point)) {
      return { signal: override.signal, region: override.name };
    }
  }
  const territory = firstContaining(usTerritories, carrier, point);
  if (!territory) return OUTSIDE_US;
  return firstContaining(coverageRegions, carrier, point) ?? territory;
}

function firstContaining(
  regions: readonly CoverageRegion[],
  carrier: CarrierId,
  point: LatLon,
): Coverage | undefined {
  for (const region of regions) {
    const signal = region.signal[carrier];
    if (signal !== undefined && region.areas.some((area) => areaContains(area, point))) {
      return { signal, region: region.id };
    }
  }
  return undefined;
}
