import type { BucketKind } from '../catalog/data-rules.ts';
import type { EpochMillis } from '../time/instant.ts';
import { type DataFold, foldData, isLive, type Overdraft, startDataFold } from './data-fold.ts';
import { inConsumptionOrder } from './internal/drain.ts';
import { inLedgerOrder } from './ledger.ts';
import type { LedgerEntry } from './ledger-entry.ts';

/** A live bucket and what is left in it. */
export interface BucketBalance {
  readonly bucketId: string;
  readonly bucket: BucketKind;
  readonly remainingBytes: number;
  readonly expiresAt: EpochMillis;
}

/**
 * An eSIM's data at a moment, derived from its ledger (never stored). For the entries up to
 * `at`, with C the bytes credited and U the bytes consumed:
 * C = dataRemainingBytes + dataUsedBytes + expiredBytes, and U = dataUsedBytes + overdrawnBytes.
 */
export interface Balance {
  readonly at: EpochMillis;
  /** Live buckets (open, not yet expired), in the order usage would drain them. */
  readonly buckets: readonly BucketBalance[];
  readonly dataRemainingBytes: number;
  /** Bytes actually drained from buckets. */
  readonly dataUsedBytes: number;
  /** Bytes left in buckets when they expired or were closed: forfeited, never used. */
  readonly expiredBytes: number;
  /** The latest expiry of a live base bucket, or null when no base plan is live. */
  readonly expiresAt: EpochMillis | null;
  /** Consumption no live bucket could cover: a negative-balance signal, never a negative bucket. */
  readonly overdrawnBytes: number;
  readonly overdrafts: readonly Overdraft[];
}

export interface BalanceOptions {
  readonly at: EpochMillis;
  readonly consumptionOrder: readonly BucketKind[];
}

/**
 * Derives one eSIM's balance at `at` by folding its entries up to `at`. Entries may come in
 * any order of `at`; those with the same `at` are applied in the order given.
 */
export function deriveBalance(entries: readonly LedgerEntry[], options: BalanceOptions): Balance {
  const upToAt = inLedgerOrder(entries).filter((e) => e.at <= options.at);
  return balanceOf(foldData(startDataFold(options.consumptionOrder), upToAt), options.at);
}

/** Reads the balance at `at` from a fold; `at` must not be earlier than the last folded entry. */
export function balanceOf(fold: DataFold, at: EpochMillis): Balance {
  if (fold.lastAt !== null && at < fold.lastAt) {
    throw new RangeError(`cannot read a balance at ${at} from a fold that reached ${fold.lastAt}`);
  }
  const live = fold.buckets.filter((b) => isLive(b, at));
  const baseExpiries = live.filter((b) => b.bucket === 'base').map((b) => b.expiresAt);
  return {
    at,
    buckets: inConsumptionOrder(live, fold.consumptionOrder).map((b) => ({
      bucketId: b.bucketId,
      bucket: b.bucket,
      remainingBytes: b.remainingBytes,
      expiresAt: b.expiresAt,
    })),
    dataRemainingBytes: sum(live.map((b) => b.remainingBytes)),
    dataUsedBytes: fold.usedBytes,
    expiredBytes: sum(fold.buckets.filter((b) => !isLive(b, at)).map((b) => b.remainingBytes)),
    expiresAt: baseExpiries.length > 0 ? Math.max(...baseExpiries) : null,
    overdrawnBytes: sum(fold.overdrafts.map((o) => o.overdrawnBytes)),
    overdrafts: fold.overdrafts,
  };
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
