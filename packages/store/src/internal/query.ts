import type { CollectionSpec } from '../collection.ts';
import { InvalidQueryError } from '../errors.ts';
import type { FindOptions } from '../store.ts';
import { type IndexValue, isScalarValue, toIndexValue } from './index-value.ts';

export interface WhereTerm {
  readonly field: string;
  readonly value: IndexValue;
}

export type QueryCursor =
  /** Strictly after `value` of the order field. */
  | { readonly kind: 'value'; readonly value: IndexValue }
  /** After (`value`, `id`) in (order field, primary key) order. */
  | { readonly kind: 'keyset'; readonly value: IndexValue; readonly id: string };

export interface FindQuery {
  readonly where: readonly WhereTerm[];
  readonly orderBy: string;
  readonly descending: boolean;
  readonly after: QueryCursor | undefined;
  readonly limit: number | undefined;
}

/** Fields a query may filter or order on: the primary key and every indexed or unique field. */
export function queryableFields(collection: CollectionSpec): ReadonlySet<string> {
  let fields = queryableFieldsOf.get(collection);
  if (fields === undefined) {
    fields = new Set([
      collection.primaryKey,
      ...(collection.indexed ?? []),
      ...(collection.unique ?? []).flat(),
    ]);
    queryableFieldsOf.set(collection, fields);
  }
  return fields;
}

// Collection handles are made once per module and never changed; every query asks.
const queryableFieldsOf = new WeakMap<CollectionSpec, ReadonlySet<string>>();

/** Checks a `where` against the handle's declared fields; terms come back sorted by field. */
export function parseWhere(collection: CollectionSpec, where: object): WhereTerm[] {
  if (typeof where !== 'object' || where === null || Array.isArray(where)) {
    throw new InvalidQueryError(collection.name, '`where` must be an object of field: value');
  }
  const queryable = queryableFields(collection);
  const terms: WhereTerm[] = [];
  for (const [field, value] of Object.entries(where)) {
    assertQueryable(collection, queryable, field);
    // An undefined filter would silently widen the query (think `deleteWhere`): refuse it.
    if (!isScalarValue(value)) {
      throw new InvalidQueryError(
        collection.name,
        `\`${field}\` must be compared with a string, finite number, boolean or null, not ${describe(value)}`,
      );
    }
    if (field === collection.primaryKey && typeof value !== 'string') {
      throw new InvalidQueryError(collection.name, `primary key \`${field}\` is a string`);
    }
    terms.push({ field, value: toIndexValue(value) });
  }
  return terms.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
}

export function parseFind(
  collection: CollectionSpec,
  where: object,
  options: FindOptions<unknown> = {},
): FindQuery {
  const terms = parseWhere(collection, where);
  const orderBy = (options.orderBy as string | undefined) ?? collection.primaryKey;
  assertQueryable(collection, queryableFields(collection), orderBy);
  const direction = options.direction ?? 'asc';
  if (direction !== 'asc' && direction !== 'desc') {
    throw new InvalidQueryError(collection.name, `direction must be 'asc' or 'desc'`);
  }
  const { limit } = options;
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0)) {
    throw new InvalidQueryError(collection.name, `limit must be a non-negative integer`);
  }
  return {
    where: terms,
    orderBy,
    descending: direction === 'desc',
    after: parseCursor(collection, orderBy, options.after),
    limit,
  };
}

function parseCursor(
  collection: CollectionSpec,
  orderBy: string,
  after: FindOptions<unknown>['after'],
): QueryCursor | undefined {
  if (after === undefined) return undefined;
  const byPrimaryKey = orderBy === collection.primaryKey;
  if (isScalarValue(after)) {
    if (byPrimaryKey && typeof after !== 'string') {
      throw new InvalidQueryError(collection.name, 'a cursor on the primary key is a string');
    }
    return { kind: 'value', value: toIndexValue(after) };
  }
  if (
    typeof after === 'object' &&
    typeof after.id === 'string' &&
    isScalarValue(after.value as unknown)
  ) {
    // Ordering by the primary key, the id alone is the position.
    if (byPrimaryKey) return { kind: 'value', value: after.id };
    return { kind: 'keyset', value: toIndexValue(after.value), id: after.id };
  }
  throw new InvalidQueryError(
    collection.name,
    '`after` must be a scalar or a cursor {value, id} (see cursorAfter)',
  );
}

function assertQueryable(
  collection: CollectionSpec,
  queryable: ReadonlySet<string>,
  field: string,
): void {
  if (!queryable.has(field)) {
    throw new InvalidQueryError(
      collection.name,
      `\`${field}\` is not the primary key, indexed or unique; declare it in \`indexed\` and add it in a migration`,
    );
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
