import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { compareIndexValues, compareText } from '../../internal/index-value.ts';
import { keyText, primaryKeyText } from './key-text.ts';

/** PostgreSQL's `COLLATE "C"` order: the UTF-8 bytes, compared as unsigned. */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

// Control characters next to ordinary ones, so escapes meet their neighbours in comparisons.
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.string({ unit: fc.constantFrom('\u0000', '\u0001', '\u0002', 'a', 'é', '😀'), maxLength: 4 }),
);
const number = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE),
  fc.integer(),
);
const keyValue = fc.oneof(number, text);

describe('keyText', () => {
  test.prop([keyValue, keyValue])('sorts byte-wise exactly as SQLite orders the values', (a, b) => {
    const encodedA = keyText(a) as string;
    const encodedB = keyText(b) as string;
    expect(Math.sign(compareBytes(encodedA, encodedB))).toBe(Math.sign(compareIndexValues(a, b)));
  });

  test.prop([keyValue])('never contains U+0000, which PostgreSQL text cannot hold', (value) => {
    expect(keyText(value)).not.toContain('\u0000');
  });

  it('keeps null as SQL NULL and treats -0 as 0', () => {
    expect(keyText(null)).toBeNull();
    expect(keyText(-0)).toBe(keyText(0));
  });
});

describe('primaryKeyText', () => {
  test.prop([text, text])('sorts byte-wise exactly as the ids compare', (a, b) => {
    expect(Math.sign(compareBytes(primaryKeyText(a), primaryKeyText(b)))).toBe(
      Math.sign(compareText(a, b)),
    );
  });

  it('leaves ordinary ids readable', () => {
    expect(primaryKeyText('8901260000000000019')).toBe('8901260000000000019');
  });
});
