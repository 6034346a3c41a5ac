import type { Collection, ScalarField, ScalarValue } from './collection.ts';

/** Position after a document in `find` order: its `orderBy` value, then its primary key. */
export interface KeysetCursor {
  readonly value: ScalarValue;
  readonly id: string;
}

/** What `find` takes as `after`: a primary key when ordering by it, else a `KeysetCursor`. */
export type FindAfter = ScalarValue | KeysetCursor;

/**
 * The `after` to pass to `find` for the page that follows `doc`, ordered by `orderBy`
 * (default: the primary key). Ties on `orderBy` are broken by primary key, so paging this way
 * visits every document exactly once.
 */
export function cursorAfter<TDoc>(
  collection: Collection<TDoc>,
  doc: TDoc,
  orderBy?: ScalarField<TDoc>,
): FindAfter {
  const fields = doc as Record<string, unknown>;
  const id = fields[collection.primaryKey] as string;
  if (orderBy === undefined || orderBy === collection.primaryKey) return id;
  const value = fields[orderBy] as ScalarValue | undefined;
  return { value: value ?? null, id };
}
