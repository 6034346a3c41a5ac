/**
 * Data amounts are integer bytes everywhere. Carriers sell in decimal units (a "5 GB" plan
 * is 5,000,000,000 bytes); phones often show binary units, so both are explicit.
 */
export const KB = 1_000;
export const MB = 1_000_000;
export const GB = 1_000_000_000;
export const KiB = 1_024;
export const MiB = 1_048_576;
export const GiB = 1_073_741_824;

function wholeBytes(value: number, unit: number, unitName: string): number {
  const bytes = value * unit;
  if (!Number.isSafeInteger(bytes) || bytes < 0) {
    throw new RangeError(`${value} ${unitName} is not a whole, non-negative number of bytes`);
  }
  return bytes;
}

export const megabytes = (n: number): number => wholeBytes(n, MB, 'MB');
export const gigabytes = (n: number): number => wholeBytes(n, GB, 'GB');
export const mebibytes = (n: number): number => wholeBytes(n, MiB, 'MiB');
export const gibibytes = (n: number): number => wholeBytes(n, GiB, 'GiB');

/** `5 GB`, `512 MB`, `0 B`: decimal units with at most two decimals, for humans only. */
export function formatDecimalBytes(bytes: number): string {
  return formatWith(bytes, [
    [GB, 'GB'],
    [MB, 'MB'],
    [KB, 'kB'],
  ]);
}

/** `5 GiB`, `1.5 MiB`: binary units, as phones often display them. */
export function formatBinaryBytes(bytes: number): string {
  return formatWith(bytes, [
    [GiB, 'GiB'],
    [MiB, 'MiB'],
    [KiB, 'KiB'],
  ]);
}

function formatWith(bytes: number, units: readonly (readonly [number, string])[]): string {
  const sign = bytes < 0 ? '-' : '';
  const abs = Math.abs(bytes);
  for (const [size, name] of units) {
    if (abs >= size) return `${sign}${Number((abs / size).toFixed(2))} ${name}`;
  }
  return `${sign}${abs} B`;
}
