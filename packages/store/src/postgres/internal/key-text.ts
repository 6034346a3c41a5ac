import type { IndexValue } from '../../internal/index-value.ts';

/**
 * How key values are stored in PostgreSQL so that its `COLLATE "C"` (byte-wise) text order,
 * equality and unique indexes agree exactly with SQLite's typeless key columns: numbers
 * before strings, numbers by value, strings by UTF-8 bytes, `null` left as SQL NULL.
 *
 * - a number becomes `n` and 16 hex digits of its IEEE 754 bits, flipped so that byte order
 *   is numeric order (-0 is stored as 0, which SQLite also treats as equal);
 * - a string becomes `s` and the string itself, with U+0000 and U+0001 escaped (PostgreSQL
 *   text cannot hold U+0000), in a way that keeps byte order.
 */
export function keyText(value: IndexValue): string | null {
  if (value === null) return null;
  if (typeof value === 'number') return `n${orderedNumberHex(value)}`;
  return `s${escapeControl(value)}`;
}

/** The stored form of a primary key (always a string, so it carries no type tag). */
export function primaryKeyText(id: string): string {
  return escapeControl(id);
}

function orderedNumberHex(value: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value === 0 ? 0 : value);
  let high = view.getUint32(0);
  let low = view.getUint32(4);
  if (high & 0x8000_0000) {
    // Negative: larger magnitudes have larger bits, so invert them all.
    high = ~high >>> 0;
    low = ~low >>> 0;
  } else {
    high = (high | 0x8000_0000) >>> 0;
  }
  return high.toString(16).padStart(8, '0') + low.toString(16).padStart(8, '0');
}

// U+0000 → 01 01 and U+0001 → 01 02: a prefix-free code that maps bytes in order, so encoded
// strings compare exactly as the originals do (prefixes included). U+0001 goes first, so the
// escapes of U+0000 are not escaped again.
function escapeControl(text: string): string {
  return text.replaceAll('\u0001', '\u0001\u0002').replaceAll('\u0000', '\u0001\u0001');
}
