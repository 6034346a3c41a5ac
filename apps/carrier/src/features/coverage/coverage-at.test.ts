import { carrierIds } from '@esimlab/domain';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { CoverageOverride } from '../../persistence/collections.ts';
import { coverageAt } from './coverage-at.ts';
import { coverageRegions, signals } from './coverage-map.ts';
import { distanceKm } from './internal/geometry.ts';

const places = {
  newYork: { lat: 40.7128, lon: -74.006 },
  miamiBeach: { lat: 25.7907, lon: -80.13 },
  sanDiego: { lat: 32.7157, lon: -117.1611 },
  ruralKansas: { lat: 38.5, lon: -98.5 },
  easternMontana: { lat: 47.0, lon: -106.0 },
  greenBank: { lat: 38.4331, lon: -79.8398 },
  winnemucca: { lat: 40.973, lon: -117.7357 },
  marfa: { lat: 30.3094, lon: -104.0206 },
  anchorage: { lat: 61.2181, lon: -149.9003 },
  juneau: { lat: 58.3019, lon: -134.4197 },
  honolulu: { lat: 21.3069, lon: -157.8583 },
  toronto: { lat: 43.6532, lon: -79.3832 },
  montreal: { lat: 45.5019, lon: -73.5674 },
  vancouver: { lat: 49.2827, lon: -123.1207 },
  whitehorse: { lat: 60.7212, lon: -135.0568 },
  tijuana: { lat: 32.5149, lon: -117.0382 },
  mexicoCity: { lat: 19.4326, lon: -99.1332 },
  london: { lat: 51.5072, lon: -0.1276 },
};

const override = (
  id: string,
  center: { lat: number; lon: number },
  radiusKm: number,
  signal: CoverageOverride['signal'],
): CoverageOverride => ({ id, name: `gap-${id}`, center, radiusKm, signal });

describe('coverageAt', () => {
  it('gives good signal in named metros for every carrier', () => {
    for (const carrier of carrierIds) {
      expect(coverageAt(carrier, [], places.newYork)).toEqual({
        signal: 'good',
        region: 'new-york',
      });
      expect(coverageAt(carrier, [], places.miamiBeach).region).toBe('miami');
      expect(coverageAt(carrier, [], places.honolulu).region).toBe('honolulu');
    }
  });

  it('falls back to a weak signal elsewhere in the US', () => {
    expect(coverageAt('att', [], places.ruralKansas)).toEqual({
      signal: 'weak',
      region: 'contiguous-us',
    });
    expect(coverageAt('tmobile', [], places.juneau)).toEqual({ signal: 'weak', region: 'alaska' });
  });

  it('differs by carrier in rural areas', () => {
    expect(coverageAt('att', [], places.easternMontana).signal).toBe('none');
    expect(coverageAt('tmobile', [], places.easternMontana).signal).toBe('none');
    expect(coverageAt('verizon', [], places.easternMontana)).toEqual({
      signal: 'weak',
      region: 'eastern-montana',
    });
    expect(coverageAt('att', [], places.winnemucca)).toEqual({
      signal: 'good',
      region: 'i-80-corridor',
    });
    expect(coverageAt('tmobile', [], places.winnemucca)).toEqual({
      signal: 'none',
      region: 'great-basin',
    });
    expect(coverageAt('tmobile', [], places.marfa)).toEqual({
      signal: 'weak',
      region: 'west-texas',
    });
    expect(coverageAt('verizon', [], places.marfa).signal).toBe('none');
  });

  it('keeps the Radio Quiet Zone silent for everyone', () => {
    for (const carrier of carrierIds) {
      expect(coverageAt(carrier, [], places.greenBank)).toEqual({
        signal: 'none',
        region: 'national-radio-quiet-zone',
      });
    }
  });

  it('has no signal outside the US, even next to a border metro', () => {
    for (const place of ['toronto', 'montreal', 'vancouver', 'whitehorse', 'tijuana'] as const) {
      expect(coverageAt('att', [], places[place]), place).toEqual({
        signal: 'none',
        region: 'outside-us',
      });
    }
    expect(coverageAt('verizon', [], places.mexicoCity).region).toBe('outside-us');
    expect(coverageAt('tmobile', [], places.london).region).toBe('outside-us');
    expect(coverageAt('att', [], places.sanDiego).region).toBe('san-diego');
    expect(coverageAt('att', [], places.anchorage).region).toBe('anchorage');
  });

  it('lets the most recent overlapping override win over the map', () => {
    const gap = override('a', places.newYork, 5, 'none');
    const repair = override('b', places.newYork, 1, 'weak');
    expect(coverageAt('att', [gap], places.newYork)).toEqual({ signal: 'none', region: 'gap-a' });
    expect(coverageAt('att', [gap, repair], places.newYork)).toEqual({
      signal: 'weak',
      region: 'gap-b',
    });
    // 10 km north of the centre: outside both circles, back to the map.
    expect(coverageAt('att', [gap, repair], { lat: 40.8027, lon: -74.006 }).region).toBe(
      'new-york',
    );
  });

  it('gives every built-in region a signal for at least one carrier', () => {
    for (const region of coverageRegions) {
      expect(Object.keys(region.signal).length, region.id).toBeGreaterThan(0);
    }
  });

  const point = fc.record({
    lat: fc.double({ min: -90, max: 90, noNaN: true }),
    lon: fc.double({ min: -180, max: 180, noNaN: true }),
  });

  test.prop([fc.constantFrom(...carrierIds), point])(
    'answers a known signal for any point on Earth',
    (carrier, at) => {
      expect(signals).toContain(coverageAt(carrier, [], at).signal);
    },
  );

  test.prop([
    fc.constantFrom(...carrierIds),
    point,
    fc.double({ min: 0.1, max: 500, noNaN: true }),
    fc.constantFrom(...signals),
  ])(
    'applies an override to its own centre wherever it is',
    (carrier, center, radiusKm, signal) => {
      expect(coverageAt(carrier, [override('x', center, radiusKm, signal)], center)).toEqual({
        signal,
        region: 'gap-x',
      });
    },
  );

  test.prop([point, point])('measures distance symmetrically and never negative', (a, b) => {
    const d = distanceKm(a, b);
    expect(d).toBeGreaterThanOrEqual(0);
    expect(Math.abs(d - distanceKm(b, a))).toBeLessThan(1e-6);
  });
});
