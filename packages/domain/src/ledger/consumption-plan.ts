import type { BucketKind } from '../catalog/data-rules.ts';
import type { Balance } from './balance.ts';
import { drain, inConsumptionOrder } from './internal/drain.ts';

export interface BucketDrain {
  readonly bucketId: string;
  readonly bucket: BucketKind;
  readonly bytes: number;
}

/** Which buckets a consumption would drain, and how much of it no bucket covers. */
export interface ConsumptionPlan {
  /** Only buckets that give bytes, in the order they are drained. */
  readonly drains: readonly BucketDrain[];
  readonly overdrawnBytes: number;
}

/**
 * Plans consuming `bytes` from a balance's live buckets, exactly as appending a
 * `data_consumed` entry at the balance's `at` would drain them.
 */
export function planConsumption(
  balance: Balance,
  bytes: number,
  consumptionOrder: readonly BucketKind[],
): ConsumptionPlan {
  const ordered = inConsumptionOrder(balance.buckets, consumptionOrder);
  const { takenBytes, overdrawnBytes } = drain(ordered, bytes);
  const drains = ordered
    .map((b, i) => ({ bucketId: b.bucketId, bucket: b.bucket, bytes: takenBytes[i] ?? 0 }))
    .filter((d) => d.bytes > 0);
  return { drains, overdrawnBytes };
}
