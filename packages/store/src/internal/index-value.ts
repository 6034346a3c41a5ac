import type { ScalarValue } from '../collection.ts';

/** A key or index value as SQL stores it: booleans become 0/1, absent becomes null. */
export type IndexValue = string | number | null;

export function toIndexValue(value: ScalarValue | undefined): IndexValue {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

export function isScalarValue(value: unknown): value is ScalarValue {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/**
 * Orders index values the way SQLite does with its BINARY collation: null, then numbers,
 * then text by code point. The memory adapter uses it so both adapters page identically.
 */
export function compareIndexValues(a: IndexValue, b: IndexValue): number {
  const rankA = typeRank(a);
  const rankB = typeRank(b);
  if (rankA !== rankB) return rankA - rankB;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return compareText(a, b);
  return 0;
}

function typeRank(value: IndexValue): number {
  if (value === null) return 0;
  return typeof value === 'number' ? 1 : 2;
}

/**
 * Compares strings by code point, which is the UTF-8 byte order SQLite uses. JavaScript's `<`
 * compares UTF-16 code units instead, which puts surrogate pairs (U+10000 and up) before
 * U+E000..U+FFFF.
 */
export function compareText(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(codeUnit: number): number {
  if (codeUnit < 0xd800) return codeUnit;
  // Surrogates stand for code points above U+FFFF: move them after U+E000..U+FFFF.
  return codeUnit >= 0xe000 ? codeUnit - 0x800 : codeUnit + 0x2000;
}
