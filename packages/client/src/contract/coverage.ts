export type Signal = 'none' | 'weak' | 'good';

/** A point in decimal degrees (WGS 84). */
export interface Location {
  readonly lat: number;
  readonly lon: number;
}

export interface Coverage {
  readonly signal: Signal;
  readonly region: string;
}

/** `POST /_sim/coverage/overrides`: a circle of the map with a forced signal. */
export interface CoverageOverrideInput {
  readonly name: string;
  readonly center: Location;
  readonly radiusKm: number;
  readonly signal: Signal;
}

export interface CoverageOverride extends CoverageOverrideInput {
  readonly id: string;
}

export type CoverageArea =
  | { readonly kind: 'circle'; readonly center: Location; readonly radiusKm: number }
  | {
      readonly kind: 'box';
      readonly south: number;
      readonly west: number;
      readonly north: number;
      readonly east: number;
    }
  | { readonly kind: 'polygon'; readonly vertices: readonly (readonly [number, number])[] };

export interface CoverageRegion {
  readonly id: string;
  readonly name: string;
  readonly signal: Signal;
  readonly areas: readonly CoverageArea[];
}

/** `GET /_sim/coverage`: the whole map the carrier answers coverage questions from. */
export interface CoverageMap {
  readonly carrier: string;
  readonly overrides: readonly CoverageOverride[];
  readonly regions: readonly CoverageRegion[];
  readonly territories: readonly CoverageRegion[];
  /** The coverage outside every region. */
  readonly outside: Coverage;
}
