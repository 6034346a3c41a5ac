/** A point on the map, in decimal degrees (WGS 84). */
export interface LatLon {
  readonly lat: number;
  readonly lon: number;
}

/** Where a region applies: a circle, a lat/lon box, or a polygon of `[lat, lon]` vertices. */
export type CoverageArea =
  | { readonly kind: 'circle'; readonly center: LatLon; readonly radiusKm: number }
  | {
      readonly kind: 'box';
      readonly south: number;
      readonly west: number;
      readonly north: number;
      readonly east: number;
    }
  | { readonly kind: 'polygon'; readonly vertices: readonly (readonly [number, number])[] };

/** Mean Earth radius (IUGG), in km. */
const EARTH_RADIUS_KM = 6371.0088;

const radians = (degrees: number): number => (degrees * Math.PI) / 180;

/** Great-circle distance by the haversine formula; plenty for cell coverage. */
export function distanceKm(a: LatLon, b: LatLon): number {
  const dLat = radians(b.lat - a.lat);
  const dLon = radians(b.lon - a.lon);
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function circleContains(center: LatLon, radiusKm: number, point: LatLon): boolean {
  return distanceKm(center, point) <= radiusKm;
}

/** Whether the point lies in the area; edges count as inside for circles and boxes. */
export function areaContains(area: CoverageArea, point: LatLon): boolean {
  switch (area.kind) {
    case 'circle':
      return circleContains(area.center, area.radiusKm, point);
    case 'box':
      return (
        point.lat >= area.south &&
        point.lat <= area.north &&
        point.lon >= area.west &&
        point.lon <= area.east
      );
    case 'polygon':
      return polygonContains(area.vertices, point);
  }
}

// Ray casting on a plane of degrees: fine for outlines that do not cross the antimeridian.
function polygonContains(vertices: readonly (readonly [number, number])[], point: LatLon): boolean {
  let inside = false;
  for (let i = 0, j = vertices.length - 1; i < vertices.length; j = i++) {
    const [latI, lonI] = vertices[i] as readonly [number, number];
    const [latJ, lonJ] = vertices[j] as readonly [number, number];
    const crosses =
      latI > point.lat !== latJ > point.lat &&
      point.lon < ((lonJ - lonI) * (point.lat - latI)) / (latJ - latI) + lonI;
    if (crosses) inside = !inside;
  }
  return inside;
}
