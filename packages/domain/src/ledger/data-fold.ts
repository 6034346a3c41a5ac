import type { BucketKind } from '../catalog/data-rules.ts';
import type { EpochMillis } from '../time/instant.ts';
import { drain, inConsumptionOrder } from './internal/drain.ts';
import type { LedgerEntry } from './ledger-entry.ts';

/** A bucket as the fold tracks it; `closed` means a `data_expired` marker closed it. */
export interface FoldedBucket {
  readonly bucketId: string;
  readonly bucket: BucketKind;
  readonly creditEntryId: string;
  readonly creditedBytes: number;
  readonly remainingBytes: number;
  readonly expiresAt: EpochMillis;
  readonly closed: boolean;
}

/** A consumption that the live buckets could not cover. */
export interface Overdraft {
  readonly entryId: string;
  readonly at: EpochMillis;
  readonly overdrawnBytes: number;
}

/**
 * The running state of one eSIM's data, folded from its ledger entries in ledger order.
 * Keep one to update a balance incrementally; `balanceOf` reads a balance from it.
 */
export interface DataFold {
  readonly consumptionOrder: readonly BucketKind[];
  readonly iccid: string | null;
  /** In credit order. */
  readonly buckets: readonly FoldedBucket[];
  readonly usedBytes: number;
  readonly overdrafts: readonly Overdraft[];
  readonly lastAt: EpochMillis | null;
}

/** The fold of an empty ledger. */
export function startDataFold(consumptionOrder: readonly BucketKind[]): DataFold {
  return {
    consumptionOrder,
    iccid: null,
    buckets: [],
    usedBytes: 0,
    overdrafts: [],
    lastAt: null,
  };
}

type MutableBucket = { -readonly [K in keyof FoldedBucket]: FoldedBucket[K] };

/**
 * Continues a fold with more entries of the same eSIM, which must already be in ledger
 * order and not earlier than anything folded so far (use `inLedgerOrder`). Folding a
 * prefix and then the rest gives the same fold as folding everything at once.
 */
export function foldData(fold: DataFold, entries: readonly LedgerEntry[]): DataFold {
  const buckets: MutableBucket[] = fold.buckets.map((b) => ({ ...b }));
  const overdrafts = [...fold.overdrafts];
  let { iccid, usedBytes, lastAt } = fold;

  for (const entry of entries) {
    if (lastAt !== null && entry.at < lastAt) {
      throw new RangeError(
        `entry ${entry.id} at ${entry.at} comes after an entry at ${lastAt}: fold entries in ledger order`,
      );
    }
    if (iccid !== null && entry.iccid !== iccid) {
      throw new RangeError(
        `entry ${entry.id} belongs to ${entry.iccid}, not ${iccid}: fold one eSIM at a time`,
      );
    }
    iccid = entry.iccid;
    lastAt = entry.at;

    switch (entry.type) {
      case 'data_credited':
        buckets.push({
          bucketId: entry.bucketId,
          bucket: entry.bucket,
          creditEntryId: entry.id,
          creditedBytes: entry.bytes,
          remainingBytes: entry.bytes,
          expiresAt: entry.expiresAt,
          closed: false,
        });
        break;
      case 'data_expired':
        for (const b of buckets) if (b.bucketId === entry.bucketId) b.closed = true;
        break;
      case 'data_consumed': {
        const at = entry.at;
        const live = inConsumptionOrder(
          buckets.filter((b) => isLive(b, at)),
          fold.consumptionOrder,
        );
        const { takenBytes, overdrawnBytes } = drain(live, entry.bytes);
        live.forEach((b, i) => {
          b.remainingBytes -= takenBytes[i] ?? 0;
        });
        usedBytes += entry.bytes - overdrawnBytes;
        if (overdrawnBytes > 0) overdrafts.push({ entryId: entry.id, at, overdrawnBytes });
        break;
      }
      default:
        // Payment entries move money, not data.
        break;
    }
  }
  return {
    consumptionOrder: fold.consumptionOrder,
    iccid,
    buckets,
    usedBytes,
    overdrafts,
    lastAt,
  };
}

/** A bucket can be drained at `at` while it is open and `at` is before its expiry. */
export const isLive = (bucket: FoldedBucket, at: EpochMillis): boolean =>
  !bucket.closed && at < bucket.expiresAt;
