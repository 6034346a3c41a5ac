/** A US city where seeded subscribers live, with its IANA time zone and a rough weight. */
export interface UsCity {
  readonly name: string;
  readonly lat: number;
  readonly lon: number;
  readonly timeZone: string;
  /** Relative share of subscribers, roughly by metro population. */
  readonly weight: number;
}

// The four main zones plus Arizona (no DST), Alaska and Hawaii, where expiry at local
// midnight most often surprises people.
export const usCities: readonly UsCity[] = [
  { name: 'New York', lat: 40.7128, lon: -74.006, timeZone: 'America/New_York', weight: 20 },
  { name: 'Boston', lat: 42.3601, lon: -71.0589, timeZone: 'America/New_York', weight: 5 },
  { name: 'Philadelphia', lat: 39.9526, lon: -75.1652, timeZone: 'America/New_York', weight: 6 },
  { name: 'Atlanta', lat: 33.749, lon: -84.388, timeZone: 'America/New_York', weight: 6 },
  { name: 'Miami', lat: 25.7617, lon: -80.1918, timeZone: 'America/New_York', weight: 6 },
  { name: 'Detroit', lat: 42.3314, lon: -83.0458, timeZone: 'America/New_York', weight: 4 },
  { name: 'Chicago', lat: 41.8781, lon: -87.6298, timeZone: 'America/Chicago', weight: 9 },
  { name: 'Houston', lat: 29.7604, lon: -95.3698, timeZone: 'America/Chicago', weight: 7 },
  { name: 'Dallas', lat: 32.7767, lon: -96.797, timeZone: 'America/Chicago', weight: 7 },
  { name: 'Minneapolis', lat: 44.9778, lon: -93.265, timeZone: 'America/Chicago', weight: 4 },
  { name: 'New Orleans', lat: 29.9511, lon: -90.0715, timeZone: 'America/Chicago', weight: 2 },
  { name: 'Denver', lat: 39.7392, lon: -104.9903, timeZone: 'America/Denver', weight: 3 },
  { name: 'Salt Lake City', lat: 40.7608, lon: -111.891, timeZone: 'America/Denver', weight: 2 },
  { name: 'Albuquerque', lat: 35.0844, lon: -106.6504, timeZone: 'America/Denver', weight: 1 },
  {
    name: 'Los Angeles',
    lat: 34.0522,
    lon: -118.2437,
    timeZone: 'America/Los_Angeles',
    weight: 13,
  },
  {
    name: 'San Francisco',
    lat: 37.7749,
    lon: -122.4194,
    timeZone: 'America/Los_Angeles',
    weight: 5,
  },
  { name: 'Seattle', lat: 47.6062, lon: -122.3321, timeZone: 'America/Los_Angeles', weight: 4 },
  { name: 'Portland', lat: 45.5152, lon: -122.6784, timeZone: 'America/Los_Angeles', weight: 2 },
  { name: 'Las Vegas', lat: 36.1699, lon: -115.1398, timeZone: 'America/Los_Angeles', weight: 2 },
  { name: 'Phoenix', lat: 33.4484, lon: -112.074, timeZone: 'America/Phoenix', weight: 4 },
  { name: 'Tucson', lat: 32.2226, lon: -110.9747, timeZone: 'America/Phoenix', weight: 1 },
  { name: 'Anchorage', lat: 61.2181, lon: -149.9003, timeZone: 'America/Anchorage', weight: 1 },
  { name: 'Fairbanks', lat: 64.8378, lon: -147.7164, timeZone: 'America/Anchorage', weight: 1 },
  { name: 'Honolulu', lat: 21.3069, lon: -157.8583, timeZone: 'Pacific/Honolulu', weight: 2 },
];
