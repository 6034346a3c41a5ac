import { InvalidSchemaError } from './errors.ts';

/** A value a key or index field may hold; SQL-comparable in every adapter. */
export type ScalarValue = string | number | boolean | null;

/** Top-level fields of `TDoc` that hold a scalar (or are optional scalars). */
export type ScalarField<TDoc> = {
  [K in keyof TDoc]-?: NonNullable<TDoc[K]> extends string | number | boolean ? K : never;
}[keyof TDoc] &
  string;

/** Top-level fields of `TDoc` that always hold a string: candidates for a primary key. */
export type StringField<TDoc> = {
  [K in keyof TDoc]-?: TDoc[K] extends string ? K : never;
}[keyof TDoc] &
  string;

/** The untyped shape of a collection: what migrations create and adapters store. */
export interface CollectionSpec {
  readonly name: string;
  readonly primaryKey: string;
  readonly indexed?: readonly string[];
  readonly unique?: readonly (readonly string[])[];
}

declare const documentType: unique symbol;

/** A typed handle on a collection; pass it to every `StoreTx` call. */
export interface Collection<TDoc> extends CollectionSpec {
  readonly indexed: readonly string[];
  readonly unique: readonly (readonly string[])[];
  /** Carries the document type only; never set at run time. */
  readonly [documentType]?: TDoc;
}

export interface CollectionDefinition<TDoc> {
  readonly name: string;
  readonly primaryKey: StringField<TDoc>;
  /** Composite unique constraints, each a list of fields; the primary key is always unique. */
  readonly unique?: readonly (readonly ScalarField<TDoc>[])[];
  /** Fields that `find`, `count`, `deleteWhere` and `deleteFound` may filter on, and `find` and `deleteFound` may order by. */
  readonly indexed?: readonly ScalarField<TDoc>[];
}

/** Collection, field and table names; also what makes them safe to embed as SQL identifiers. */
export const identifierPattern = /^[a-z][a-zA-Z0-9_]*$/;

// Names the adapters use for their own bookkeeping tables and columns.
const reservedCollectionPrefixes = ['schema_', 'sqlite_', 'pg_'];
const reservedFieldNames = new Set(['doc']);

/** Declares a collection: its document type, primary key, unique constraints and indexes. */
export function defineCollection<TDoc extends object>(
  definition: CollectionDefinition<TDoc>,
): Collection<TDoc> {
  const spec = normalizeCollectionSpec(definition);
  return Object.freeze({
    name: spec.name,
    primaryKey: spec.primaryKey,
    indexed: spec.indexed,
    unique: spec.unique,
  });
}

export interface NormalizedCollectionSpec {
  readonly name: string;
  readonly primaryKey: string;
  readonly indexed: readonly string[];
  readonly unique: readonly (readonly string[])[];
}

/** Validates names and removes duplicate indexes; throws `InvalidSchemaError` on a bad spec. */
export function normalizeCollectionSpec(spec: CollectionSpec): NormalizedCollectionSpec {
  assertCollectionName(spec.name);
  assertFieldName(spec.name, spec.primaryKey);
  const indexed = normalizeIndexed(spec.name, spec.indexed ?? []);
  const unique = normalizeUnique(spec.name, spec.unique ?? []);
  assertNoCaseCollisions(spec.name, [spec.primaryKey, ...indexed, ...unique.flat()]);
  return Object.freeze({ name: spec.name, primaryKey: spec.primaryKey, indexed, unique });
}

export function normalizeIndexed(collection: string, fields: readonly string[]): readonly string[] {
  for (const field of fields) assertFieldName(collection, field);
  return Object.freeze([...new Set(fields)]);
}

export function normalizeUnique(
  collection: string,
  constraints: readonly (readonly string[])[],
): readonly (readonly string[])[] {
  const seen = new Set<string>();
  const result: (readonly string[])[] = [];
  for (const fields of constraints) {
    if (fields.length === 0) {
      throw new InvalidSchemaError(`collection \`${collection}\` has an empty unique constraint`);
    }
    for (const field of fields) assertFieldName(collection, field);
    if (new Set(fields).size !== fields.length) {
      throw new InvalidSchemaError(
        `collection \`${collection}\` repeats a field in unique (${fields.join(', ')})`,
      );
    }
    const key = uniqueConstraintKey(fields);
    if (!seen.has(key)) {
      seen.add(key);
      result.push(Object.freeze([...fields]));
    }
  }
  return Object.freeze(result);
}

/** Identity of a unique constraint: its fields as a set, so (a, b) and (b, a) are one. */
export function uniqueConstraintKey(fields: readonly string[]): string {
  return [...fields].sort().join(',');
}

export function assertCollectionName(name: string): void {
  if (!identifierPattern.test(name)) {
    throw new InvalidSchemaError(
      `collection name \`${name}\` must match ${identifierPattern.source} (it becomes a table name)`,
    );
  }
  if (reservedCollectionPrefixes.some((prefix) => name.startsWith(prefix))) {
    throw new InvalidSchemaError(
      `collection name \`${name}\` starts with a prefix the store reserves (${reservedCollectionPrefixes.join(', ')})`,
    );
  }
}

function assertFieldName(collection: string, field: string): void {
  if (!identifierPattern.test(field)) {
    throw new InvalidSchemaError(
      `field \`${field}\` of \`${collection}\` must match ${identifierPattern.source} to be a key or index`,
    );
  }
  if (reservedFieldNames.has(field)) {
    throw new InvalidSchemaError(
      `field \`${field}\` of \`${collection}\` cannot be a key or index: the store keeps the document in a column of that name`,
    );
  }
}

// SQL identifiers are case-insensitive, so `iccid` and `ICCID`-like pairs would share a column.
function assertNoCaseCollisions(collection: string, fields: readonly string[]): void {
  const byLower = new Map<string, string>();
  for (const field of fields) {
    const other = byLower.get(field.toLowerCase());
    if (other !== undefined && other !== field) {
      throw new InvalidSchemaError(
        `fields \`${other}\` and \`${field}\` of \`${collection}\` differ only in case; SQL would treat them as one column`,
      );
    }
    byLower.set(field.toLowerCase(), field);
  }
}
