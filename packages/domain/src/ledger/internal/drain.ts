import type { BucketKind } from '../../catalog/data-rules.ts';
import type { EpochMillis } from '../../time/instant.ts';

export interface Drainable {
  readonly bucket: BucketKind;
  readonly expiresAt: EpochMillis;
  readonly remainingBytes: number;
}

/**
 * Sorts buckets the way usage drains them: by the kind's place in the consumption order,
 * then earliest-expiring first. Ties keep their given order (credit order), as sort is stable.
 */
export function inConsumptionOrder<T extends Drainable>(
  buckets: readonly T[],
  consumptionOrder: readonly BucketKind[],
): T[] {
  const rank = (kind: BucketKind): number => {
    const i = consumptionOrder.indexOf(kind);
    return i === -1 ? consumptionOrder.length : i;
  };
  return [...buckets].sort((a, b) => rank(a.bucket) - rank(b.bucket) || a.expiresAt - b.expiresAt);
}

export interface Drain {
  /** Bytes taken from each bucket, index for index with the buckets given. */
  readonly takenBytes: readonly number[];
  /** What the buckets could not cover. */
  readonly overdrawnBytes: number;
}

/** Takes `bytes` from buckets already in consumption order, emptying each before the next. */
export function drain(ordered: readonly Drainable[], bytes: number): Drain {
  if (!Number.isSafeInteger(bytes) || bytes < 0) {
    throw new RangeError(`cannot consume ${bytes} bytes: a whole, non-negative number is needed`);
  }
  let left = bytes;
  const takenBytes = ordered.map((b) => {
    const taken = Math.min(left, b.remainingBytes);
    left -= taken;
    return taken;
  });
  return { takenBytes, overdrawnBytes: left };
}
