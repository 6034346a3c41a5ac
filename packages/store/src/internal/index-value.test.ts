import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { compareIndexValues, compareText, type IndexValue } from './index-value.ts';

const indexValue: fc.Arbitrary<IndexValue> = fc.oneof(
  fc.constant(null),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
);

describe('compareText', () => {
  test.prop([fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' })])(
    'orders strings like their UTF-8 bytes, as SQLite BINARY collation does',
    (a, b) => {
      expect(Math.sign(compareText(a, b))).toBe(
        Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))),
      );
    },
  );

  test.prop([fc.constant('\uffff'), fc.constant('😀')])(
    'puts characters beyond U+FFFF after U+FFFF, unlike JavaScript <',
    (bmp, astral) => {
      expect(bmp < astral).toBe(false);
      expect(compareText(bmp, astral)).toBeLessThan(0);
    },
  );
});

describe('compareIndexValues', () => {
  test.prop([indexValue, indexValue])('is antisymmetric', (a, b) => {
    expect(Math.sign(compareIndexValues(a, b))).toBe(-Math.sign(compareIndexValues(b, a)) || 0);
  });

  test.prop([indexValue, indexValue, indexValue])('is transitive', (a, b, c) => {
    const [x, y, z] = [a, b, c].sort(compareIndexValues) as [IndexValue, IndexValue, IndexValue];
    expect(compareIndexValues(x, z)).toBeLessThanOrEqual(0);
    expect(compareIndexValues(x, y)).toBeLessThanOrEqual(0);
    expect(compareIndexValues(y, z)).toBeLessThanOrEqual(0);
  });

  test.prop([fc.double({ noNaN: true }), fc.string()])(
    'puts null before numbers and numbers before text',
    (number, text) => {
      expect(compareIndexValues(null, number)).toBeLessThan(0);
      expect(compareIndexValues(number, text)).toBeLessThan(0);
    },
  );
});
