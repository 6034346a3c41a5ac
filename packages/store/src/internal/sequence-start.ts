import type { Collection, NormalizedCollectionSpec, ScalarValue } from '../collection.ts';
import { InvalidSchemaError } from '../errors.ts';
import type { StoreTx } from '../store.ts';
import { toIndexValue } from './index-value.ts';

type AnyDocument = Record<string, ScalarValue | undefined>;

/**
 * The value a new sequence on `field` continues from: the largest number the field holds
 * (floored; 0 if none or negative), so every value it hands out is above the existing ones.
 */
export async function sequenceStart(
  tx: StoreTx,
  spec: NormalizedCollectionSpec,
  field: string,
): Promise<number> {
  // Index order is null, numbers, strings: descending from just below the smallest string
  // (`''`) skips any strings and lands on the largest number.
  const [top] = await tx.find(
    spec as Collection<AnyDocument>,
    {},
    { orderBy: field, direction: 'desc', after: '', limit: 1 },
  );
  const value = toIndexValue(top?.[field]);
  if (typeof value !== 'number') return 0;
  if (value >= Number.MAX_SAFE_INTEGER) {
    throw new InvalidSchemaError(
      `\`${field}\` of \`${spec.name}\` already holds ${value}; a sequence continuing from it would exceed Number.MAX_SAFE_INTEGER`,
    );
  }
  return Math.max(0, Math.floor(value));
}
