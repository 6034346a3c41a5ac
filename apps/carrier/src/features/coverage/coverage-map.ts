import type { CarrierId } from '@esimlab/domain';
import type { CoverageArea, LatLon } from './internal/geometry.ts';

export type { CoverageArea, LatLon } from './internal/geometry.ts';

export const signals = ['none', 'weak', 'good'] as const;
export type Signal = (typeof signals)[number];

/** A named place on a carrier's map; a carrier missing from `signal` has no such region. */
export interface CoverageRegion {
  /** Stable kebab-case id, returned as `region` by `GET /v1/coverage`. */
  readonly id: string;
  readonly name: string;
  readonly areas: readonly CoverageArea[];
  readonly signal: Readonly<Partial<Record<CarrierId, Signal>>>;
}

/** What every point outside the US territories gets: no US carrier serves it. */
export const OUTSIDE_US = { signal: 'none', region: 'outside-us' } as const;

const circle = (lat: number, lon: number, radiusKm: number): CoverageArea => ({
  kind: 'circle',
  center: { lat, lon },
  radiusKm,
});

const box = (south: number, west: number, north: number, east: number): CoverageArea => ({
  kind: 'box',
  south,
  west,
  north,
  east,
});

const everyone = (signal: Signal) => ({ att: signal, tmobile: signal, verizon: signal });

const metro = (id: string, name: string, center: LatLon, radiusKm: number): CoverageRegion => ({
  id,
  name,
  areas: [circle(center.lat, center.lon, radiusKm)],
  signal: everyone('good'),
});

/**
 * Named regions, most specific first: the first region that contains a point and exists on
 * the carrier's map wins. Metros are good everywhere. Remote areas differ by carrier, after
 * their real reputations: Verizon reaches furthest into the rural West (weak where the others
 * have nothing), AT&T holds the I-80 corridor across Nevada and reaches some parks, T-Mobile
 * keeps a weak signal across West Texas. The Radio Quiet Zone is silent for everyone.
 */
export const coverageRegions: readonly CoverageRegion[] = [
  metro('new-york', 'New York metro', { lat: 40.7128, lon: -74.006 }, 60),
  metro('los-angeles', 'Los Angeles metro', { lat: 34.0522, lon: -118.2437 }, 70),
  metro('chicago', 'Chicago metro', { lat: 41.8781, lon: -87.6298 }, 50),
  metro('houston', 'Houston metro', { lat: 29.7604, lon: -95.3698 }, 50),
  metro('phoenix', 'Phoenix metro', { lat: 33.4484, lon: -112.074 }, 45),
  metro('philadelphia', 'Philadelphia metro', { lat: 39.9526, lon: -75.1652 }, 35),
  metro('dallas-fort-worth', 'Dallas-Fort Worth metro', { lat: 32.8, lon: -97.0 }, 60),
  metro('san-antonio', 'San Antonio metro', { lat: 29.4241, lon: -98.4936 }, 35),
  metro('san-diego', 'San Diego metro', { lat: 32.7157, lon: -117.1611 }, 35),
  metro('sf-bay-area', 'San Francisco Bay Area', { lat: 37.6, lon: -122.2 }, 60),
  metro('seattle', 'Seattle metro', { lat: 47.6062, lon: -122.3321 }, 45),
  metro('miami', 'Miami metro', { lat: 25.7617, lon: -80.1918 }, 45),
  metro('denver', 'Denver metro', { lat: 39.7392, lon: -104.9903 }, 40),
  metro('atlanta', 'Atlanta metro', { lat: 33.749, lon: -84.388 }, 50),
  metro('boston', 'Boston metro', { lat: 42.3601, lon: -71.0589 }, 40),
  metro('washington-dc', 'Washington, D.C. metro', { lat: 38.9072, lon: -77.0369 }, 45),
  metro('las-vegas', 'Las Vegas metro', { lat: 36.1699, lon: -115.1398 }, 30),
  metro('salt-lake-city', 'Salt Lake City metro', { lat: 40.7608, lon: -111.891 }, 35),
  metro('anchorage', 'Anchorage', { lat: 61.2181, lon: -149.9003 }, 30),
  metro('fairbanks', 'Fairbanks', { lat: 64.8378, lon: -147.7164 }, 20),
  metro('honolulu', 'Honolulu', { lat: 21.3069, lon: -157.8583 }, 30),
  metro('san-juan', 'San Juan', { lat: 18.4655, lon: -66.1057 }, 25),
  {
    // The core around the Green Bank Observatory, where transmitters are kept off the air.
    id: 'national-radio-quiet-zone',
    name: 'National Radio Quiet Zone (Green Bank, WV)',
    areas: [circle(38.4331, -79.8398, 30)],
    signal: everyone('none'),
  },
  {
    id: 'yellowstone',
    name: 'Yellowstone National Park',
    areas: [box(44.13, -111.15, 45.11, -109.83)],
    signal: { att: 'weak', tmobile: 'none', verizon: 'weak' },
  },
  {
    id: 'glacier',
    name: 'Glacier National Park',
    areas: [box(48.23, -114.48, 49.0, -113.24)],
    signal: { att: 'none', tmobile: 'none', verizon: 'weak' },
  },
  {
    id: 'grand-canyon',
    name: 'Grand Canyon National Park',
    areas: [circle(36.1069, -112.1129, 45)],
    signal: { att: 'weak', tmobile: 'none', verizon: 'weak' },
  },
  {
    id: 'death-valley',
    name: 'Death Valley National Park',
    areas: [circle(36.5054, -117.0794, 60)],
    signal: { att: 'none', tmobile: 'none', verizon: 'weak' },
  },
  {
    id: 'big-bend',
    name: 'Big Bend National Park',
    areas: [circle(29.25, -103.25, 45)],
    signal: everyone('none'),
  },
  {
    id: 'west-texas',
    name: 'West Texas (Trans-Pecos)',
    areas: [box(29.5, -105.5, 31.5, -101.5)],
    signal: { att: 'none', tmobile: 'weak', verizon: 'none' },
  },
  {
    id: 'i-80-corridor',
    name: 'I-80 corridor across Nevada',
    areas: [
      circle(40.18, -118.47, 30),
      circle(40.97, -117.74, 30),
      circle(40.64, -116.93, 30),
      circle(40.83, -115.76, 30),
      circle(41.11, -114.96, 30),
      circle(40.74, -114.04, 30),
    ],
    signal: { att: 'good' },
  },
  {
    id: 'great-basin',
    name: "Nevada's Great Basin",
    areas: [box(37.5, -119.0, 41.99, -114.05)],
    signal: { att: 'none', tmobile: 'none', verizon: 'weak' },
  },
  {
    id: 'eastern-montana',
    name: 'Eastern Montana',
    areas: [box(45.0, -109.5, 49.0, -104.04)],
    signal: { att: 'none', tmobile: 'none', verizon: 'weak' },
  },
  {
    id: 'denali',
    name: 'Denali National Park',
    areas: [circle(63.3333, -150.5, 80)],
    signal: { att: 'weak', tmobile: 'none', verizon: 'none' },
  },
  {
    id: 'alaska-interior',
    name: 'Alaska interior',
    areas: [box(62.0, -156.0, 68.0, -141.0)],
    signal: { att: 'weak', tmobile: 'none', verizon: 'none' },
  },
];

/**
 * The US as the carriers serve it, with the signal a point gets when no named region holds
 * it: weak everywhere outside the named metros. Points outside these outlines are
 * `outside-us`. The outlines are coarse (about 30 km) but keep Toronto, Vancouver and
 * Tijuana out, and the named metros in.
 */
export const usTerritories: readonly CoverageRegion[] = [
  {
    id: 'contiguous-us',
    name: 'Contiguous United States',
    areas: [
      {
        kind: 'polygon',
        vertices: [
          // Pacific Northwest and the 49th parallel
          [48.45, -124.8],
          [48.22, -123.55],
          [48.3, -123.2],
          [48.7, -123.25],
          [49.0, -123.05],
          [49.0, -95.15],
          [49.38, -95.15],
          [49.3, -94.85],
          [48.7, -94.6],
          [48.6, -93.4],
          [48.1, -89.6],
          // Great Lakes and the St. Lawrence
          [48.3, -88.4],
          [46.55, -84.6],
          [46.52, -84.3],
          [46.2, -84.1],
          [45.98, -83.5],
          [45.3, -82.5],
          [43.0, -82.42],
          [42.55, -82.6],
          [42.35, -82.93],
          [42.325, -83.04],
          [42.28, -83.11],
          [42.05, -83.14],
          [41.7, -82.6],
          [42.2, -81.0],
          [42.55, -79.8],
          [42.9, -78.9],
          [43.27, -79.05],
          [43.6, -77.5],
          [44.1, -76.4],
          [45.0, -74.7],
          [45.0, -71.5],
          // Maine
          [45.3, -70.8],
          [46.4, -70.0],
          [47.45, -69.2],
          [47.35, -68.3],
          [47.05, -67.8],
          [45.9, -67.8],
          [45.15, -67.3],
          [44.8, -66.9],
          // Atlantic coast, a little offshore
          [44.2, -68.0],
          [43.5, -69.9],
          [42.7, -70.5],
          [42.1, -69.9],
          [41.2, -69.8],
          [40.95, -71.8],
          [40.4, -73.85],
          [39.5, -74.1],
          [38.85, -74.9],
          [38.4, -75.0],
          [37.1, -75.8],
          [36.9, -75.85],
          [35.8, -75.4],
          [35.2, -75.35],
          [34.6, -76.4],
          [33.8, -77.9],
          [32.0, -80.7],
          [30.4, -81.3],
          [28.45, -80.45],
          [26.7, -79.95],
          [25.2, -80.1],
          [24.45, -81.0],
          [24.45, -81.9],
          // Gulf coast
          [25.9, -81.8],
          [27.8, -82.9],
          [29.1, -83.2],
          [30.0, -84.3],
          [29.6, -85.4],
          [30.3, -87.2],
          [30.15, -88.0],
          [28.9, -89.2],
          [29.2, -90.8],
          [29.5, -92.3],
          [29.65, -93.85],
          [29.25, -94.8],
          [27.75, -97.05],
          [25.95, -97.1],
          // Rio Grande and the Mexican border
          [25.83, -97.42],
          [26.05, -97.9],
          [26.1, -98.2],
          [26.4, -99.1],
          [27.5, -99.5],
          [28.7, -100.5],
          [29.4, -101.0],
          [29.8, -101.9],
          [29.75, -102.6],
          [29.0, -103.1],
          [29.6, -104.5],
          [30.7, -104.9],
          [31.75, -106.45],
          [31.78, -108.2],
          [31.33, -108.2],
          [31.33, -111.07],
          [32.5, -114.8],
          [32.72, -114.72],
          [32.53, -117.3],
          // Pacific coast, a little offshore
          [33.0, -117.4],
          [33.7, -118.45],
          [34.0, -118.9],
          [34.4, -120.55],
          [35.2, -121.0],
          [36.6, -122.05],
          [37.5, -122.6],
          [38.0, -123.1],
          [38.95, -123.85],
          [40.44, -124.5],
          [41.75, -124.35],
          [43.4, -124.5],
          [46.25, -124.2],
          [47.9, -124.8],
        ],
      },
    ],
    signal: everyone('weak'),
  },
  {
    id: 'alaska',
    name: 'Alaska',
    areas: [
      {
        kind: 'polygon',
        vertices: [
          [69.65, -141.0],
          [60.3, -141.0],
          [60.0, -139.1],
          [59.6, -137.5],
          [59.8, -135.5],
          [58.9, -133.8],
          [56.0, -130.0],
          [54.6, -130.6],
          [54.5, -133.5],
          [56.5, -136.0],
          [58.0, -137.5],
          [59.5, -140.5],
          [59.7, -144.0],
          [59.3, -149.0],
          [57.0, -152.0],
          [55.8, -155.0],
          [54.4, -160.0],
          [53.4, -166.0],
          [51.8, -172.0],
          [53.0, -173.0],
          [55.5, -165.0],
          [57.5, -158.5],
          [58.5, -162.0],
          [60.0, -167.5],
          [62.0, -166.5],
          [63.5, -171.5],
          [64.5, -167.0],
          [65.6, -168.4],
          [66.5, -165.0],
          [68.9, -167.0],
          [70.5, -162.0],
          [71.5, -156.5],
          [70.5, -150.0],
          [70.2, -143.0],
        ],
      },
    ],
    signal: everyone('weak'),
  },
  {
    id: 'hawaii',
    name: 'Hawaii',
    areas: [box(18.8, -160.4, 22.4, -154.7)],
    signal: everyone('weak'),
  },
  {
    id: 'puerto-rico',
    name: 'Puerto Rico',
    areas: [box(17.85, -67.3, 18.55, -65.2)],
    signal: everyone('weak'),
  },
];
