import type { Collection, ScalarField } from './collection.ts';
import type { FindAfter } from './keyset-cursor.ts';

export type StoreKind = 'memory' | 'sqlite' | 'postgres';

/**
 * The persistence port. Every read and write happens in `transaction`, and transactions are
 * serialisable: each behaves as if it ran alone. Within one store they run one at a time (an
 * async mutex); a PostgreSQL database shared by several stores (carrier replicas, each its own
 * process) adds serialisable isolation between them, retrying a transaction that lost a race.
 */
export interface Store {
  readonly kind: StoreKind;
  /**
   * Runs `work` in a transaction and commits when it resolves. If it throws, everything it
   * wrote is rolled back and the error is rethrown. Calling `transaction` inside `work` is a
   * bug: it would wait on itself forever. With `detectNestedTransactions` (the default) it
   * throws `NestedTransactionError` instead.
   *
   * `work` may run more than once: on PostgreSQL, a transaction that conflicts with a concurrent
   * one from another store is rolled back and `work` is called again on fresh data (up to a
   * bound, then `TransactionConflictError`). So `work` must be safe to run again: it decides
   * from what it reads through `tx` (fresh ids and timestamps are fine), has no effects outside
   * the store (HTTP calls, crash points, in-memory caches) and keeps nothing from an earlier
   * attempt. Do such effects after `transaction` resolves, from its result.
   */
  transaction<T>(work: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** Waits for the running and already queued transactions, then releases the database. */
  close(): Promise<void>;
}

/** What every adapter's `open…Store` takes besides its own options. */
export interface CommonStoreOptions {
  /**
   * Refuse `transaction` called inside another transaction's `work` with
   * `NestedTransactionError`, where it would otherwise wait on itself forever; default true.
   * The check follows async context (`AsyncLocalStorage`), which on Node 20 hooks every promise
   * of the process: 9-24 % of the carrier's CPU per top-up. Turn it off where speed
   * counts and the tests already run with it on.
   */
  readonly detectNestedTransactions?: boolean;
}

/** Equality filter on primary key, indexed or unique fields; `null` also matches absent fields. */
export type Where<TDoc> = {
  readonly [K in ScalarField<TDoc>]?: Exclude<TDoc[K], undefined> | null;
};

export interface FindOptions<TDoc> {
  /** An indexed, unique or primary-key field; default the primary key. */
  readonly orderBy?: ScalarField<TDoc>;
  /** Applies to `orderBy` and to the primary key that breaks its ties; default `asc`. */
  readonly direction?: 'asc' | 'desc';
  /**
   * Keyset cursor: only documents after this position. A `KeysetCursor` (see `cursorAfter`)
   * resumes exactly; a bare value means "strictly after this `orderBy` value", skipping ties.
   */
  readonly after?: FindAfter;
  readonly limit?: number;
}

/** One transaction's view of the store; it sees its own writes. */
export interface StoreTx {
  get<T>(collection: Collection<T>, id: string): Promise<T | undefined>;
  /** Documents matching `where`, in `orderBy` order (ties by primary key), ascending by default. */
  find<T>(collection: Collection<T>, where: Where<T>, options?: FindOptions<T>): Promise<T[]>;
  count<T>(collection: Collection<T>, where: Where<T>): Promise<number>;
  /** Throws `UniqueViolationError` if the primary key or a unique constraint is taken. */
  insert<T>(collection: Collection<T>, doc: T): Promise<void>;
  /** Replaces the document with the same primary key; throws `NotFoundError` if there is none. */
  update<T>(collection: Collection<T>, doc: T): Promise<void>;
  /** Inserts, or replaces the document with the same primary key. */
  upsert<T>(collection: Collection<T>, doc: T): Promise<void>;
  /** Returns whether a document was deleted. */
  delete<T>(collection: Collection<T>, id: string): Promise<boolean>;
  /** Deletes every document matching `where` (all of them for `{}`); returns how many. */
  deleteWhere<T>(collection: Collection<T>, where: Where<T>): Promise<number>;
  /**
   * Deletes exactly the documents `find` returns for the same arguments (say the oldest
   * `limit` in `orderBy` order, or those before a cursor), in one statement; returns how many.
   */
  deleteFound<T>(
    collection: Collection<T>,
    where: Where<T>,
    options: FindOptions<T>,
  ): Promise<number>;
  /**
   * The next value for `field` of `collection`, from a sequence a migration declared: greater than
   * every value it gave before (on any store sharing the database) and than every value the field
   * held when the sequence was declared. Unique; a rolled-back transaction may leave a gap. Within
   * one store values follow commit order; among stores sharing a PostgreSQL database they follow
   * the order they were taken, which may differ from commit order. Never a serialization conflict.
   * Throws `UndeclaredSequenceError` if no migration declared the sequence.
   */
  nextInSequence<T>(collection: Collection<T>, field: ScalarField<T>): Promise<number>;
}
