import type { CollectionSpec } from './collection.ts';
import type { StoreTx } from './store.ts';

/** Indexes and unique constraints to add to a collection an earlier migration created. */
export interface IndexAddition {
  readonly collection: string;
  readonly indexed?: readonly string[];
  readonly unique?: readonly (readonly string[])[];
}

/**
 * Plain indexes to drop from a collection: what no query needs any more costs every write.
 * The field's column goes with its index unless a unique constraint still keys it.
 */
export interface IndexDrop {
  readonly collection: string;
  readonly indexed: readonly string[];
}

/** A numeric field whose values come from `StoreTx.nextInSequence`. */
export interface SequenceSpec {
  readonly collection: string;
  /** An indexed or unique field of `collection`. */
  readonly field: string;
}

/**
 * One step of the schema. Migrations form an append-only list with increasing versions;
 * each pending one runs at open in its own transaction: first `collections`, then
 * `addIndexes` (adding one that exists is a no-op), then `dropIndexes`, then `sequences`, then
 * `up`. Declare specs
 * as they were at that version, so an old migration means the same thing forever.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** Collections to create; creating one that exists fails the migration. */
  readonly collections?: readonly CollectionSpec[];
  readonly addIndexes?: readonly IndexAddition[];
  /** Applied after `addIndexes`; dropping an index that is not there fails the migration. */
  readonly dropIndexes?: readonly IndexDrop[];
  /**
   * Sequences to declare; each starts above the largest number its field holds at this point.
   * Declaring one that exists fails the migration.
   */
  readonly sequences?: readonly SequenceSpec[];
  /** Data changes (backfills) that run after this migration's schema changes. */
  readonly up?: (tx: StoreTx) => Promise<void>;
}
