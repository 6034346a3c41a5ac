import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isValidGlob, matchesGlob } from './path-glob.ts';

describe('matchesGlob', () => {
  it.each([
    ['/v1/plans', '/v1/plans', true],
    ['/v1/plans', '/v1/plans/x', false],
    ['/v1/esims/*/topups', '/v1/esims/8901/topups', true],
    ['/v1/esims/*/topups', '/v1/esims/topups', false],
    ['/v1/esims/*/topups', '/v1/esims/a/b/topups', false],
    ['/v1/**', '/v1', true],
    ['/v1/**', '/v1/esims/8901/topups', true],
    ['/v1/**', '/v2/plans', false],
    ['/**/topups', '/v1/esims/8901/topups', true],
    ['/*', '/healthz', true],
    ['/*', '/v1/plans', false],
  ])('%s against %s → %s', (glob, path, matches) => {
    expect(matchesGlob(glob, path)).toBe(matches);
  });

  const segment = fc.stringMatching(/^[a-z0-9_-]{1,6}$/);
  test.prop([fc.array(segment, { maxLength: 6 })])('`/**` matches every path', (segments) => {
    expect(matchesGlob('/**', `/${segments.join('/')}`)).toBe(true);
  });
  test.prop([fc.array(segment, { minLength: 1, maxLength: 6 })])(
    'a literal glob matches exactly its own path',
    (segments) => {
      const path = `/${segments.join('/')}`;
      expect(matchesGlob(path, path)).toBe(true);
      expect(matchesGlob(path, `${path}/x`)).toBe(false);
    },
  );
});

describe('isValidGlob', () => {
  it('takes absolute paths with whole-segment wildcards only', () => {
    expect(isValidGlob('/v1/esims/*/topups')).toBe(true);
    expect(isValidGlob('/v1/**')).toBe(true);
    expect(isValidGlob('v1/**')).toBe(false);
    expect(isValidGlob('/v1/es*')).toBe(false);
    expect(isValidGlob('/v1/{a,b}')).toBe(false);
    expect(isValidGlob('/v1/plan?')).toBe(false);
  });
});
