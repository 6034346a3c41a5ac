import {
  type CollectionSpec,
  type NormalizedCollectionSpec,
  normalizeCollectionSpec,
  normalizeIndexed,
  normalizeUnique,
  uniqueConstraintKey,
} from '../collection.ts';
import {
  InvalidSchemaError,
  MigrationHistoryError,
  SchemaMismatchError,
  SchemaTooNewError,
} from '../errors.ts';
import type { Migration, SequenceSpec } from '../migration.ts';

/** The collections a database has, as its applied migrations built them. */
export type Schema = ReadonlyMap<string, NormalizedCollectionSpec>;

/** One DDL step an adapter performs, in order, to apply a migration. */
export type SchemaChange =
  | { readonly kind: 'createCollection'; readonly spec: NormalizedCollectionSpec }
  | { readonly kind: 'addColumn'; readonly collection: string; readonly field: string }
  | { readonly kind: 'addIndex'; readonly collection: string; readonly field: string }
  | { readonly kind: 'addUnique'; readonly collection: string; readonly fields: readonly string[] }
  | { readonly kind: 'dropIndex'; readonly collection: string; readonly field: string }
  | { readonly kind: 'dropColumn'; readonly collection: string; readonly field: string };

export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
}

/** Fields the adapters materialise besides the primary key: every indexed or unique field. */
export function keyColumns(spec: CollectionSpec): readonly string[] {
  let columns = keyColumnsOf.get(spec);
  if (columns === undefined) {
    const fields = new Set([...(spec.indexed ?? []), ...(spec.unique ?? []).flat()]);
    fields.delete(spec.primaryKey);
    columns = [...fields];
    keyColumnsOf.set(spec, columns);
  }
  return columns;
}

// Specs are never changed once made (a migration makes new ones), and every write asks.
const keyColumnsOf = new WeakMap<CollectionSpec, readonly string[]>();

/** Refuses a migration list that is not strictly increasing positive versions with names. */
export function validateMigrations(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const migration of migrations) {
    if (!Number.isSafeInteger(migration.version) || migration.version <= previous) {
      throw new InvalidSchemaError(
        `migration versions must be positive integers in increasing order; ${migration.version} follows ${previous}`,
      );
    }
    if (typeof migration.name !== 'string' || migration.name.trim() === '') {
      throw new InvalidSchemaError(`migration ${migration.version} needs a name`);
    }
    previous = migration.version;
  }
}

/**
 * Compares what the database recorded with the code's migrations and returns the pending
 * ones. Refuses a database that is newer than the code or whose history the code rewrote.
 */
export function pendingMigrations(
  location: string,
  migrations: readonly Migration[],
  applied: readonly AppliedMigration[],
): Migration[] {
  const known = new Map(migrations.map((migration) => [migration.version, migration]));
  const knownVersion = migrations.at(-1)?.version ?? 0;
  const databaseVersion = Math.max(0, ...applied.map((migration) => migration.version));
  if (databaseVersion > knownVersion) {
    throw new SchemaTooNewError(location, databaseVersion, knownVersion);
  }
  for (const record of applied) {
    const migration = known.get(record.version);
    if (migration === undefined) {
      throw new MigrationHistoryError(
        location,
        record.version,
        `(\`${record.name}\`) was applied but this code does not have it`,
      );
    }
    if (migration.name !== record.name) {
      throw new MigrationHistoryError(
        location,
        record.version,
        `was applied as \`${record.name}\` but this code calls it \`${migration.name}\``,
      );
    }
  }
  const done = new Set(applied.map((migration) => migration.version));
  const pending = migrations.filter((migration) => !done.has(migration.version));
  const late = pending.find((migration) => migration.version < databaseVersion);
  if (late !== undefined) {
    throw new MigrationHistoryError(
      location,
      late.version,
      `(\`${late.name}\`) is older than the applied version ${databaseVersion} but was never applied`,
    );
  }
  return pending;
}

/** How adapters name a declared sequence in their bookkeeping. */
export function sequenceKey(collection: string, field: string): string {
  return `${collection}.${field}`;
}

/**
 * Works out the DDL for `migration`, the schema after it and the sequences it declares (given
 * the `sequenceKey`s of those already declared), without touching a database.
 */
export function planMigration(
  schema: Schema,
  migration: Migration,
  declaredSequences: ReadonlySet<string> = new Set(),
): { schema: Schema; changes: SchemaChange[]; sequences: SequenceSpec[] } {
  const next = new Map(schema);
  const changes: SchemaChange[] = [];
  for (const raw of migration.collections ?? []) {
    const spec = normalizeCollectionSpec(raw);
    const clash = [...next.keys()].find((name) => name.toLowerCase() === spec.name.toLowerCase());
    if (clash !== undefined) {
      throw new InvalidSchemaError(
        `collection \`${spec.name}\` already exists (as \`${clash}\`); add indexes to it with addIndexes`,
      );
    }
    next.set(spec.name, spec);
    changes.push({ kind: 'createCollection', spec });
  }
  for (const addition of migration.addIndexes ?? []) {
    const current = next.get(addition.collection);
    if (current === undefined) {
      throw new InvalidSchemaError(
        `addIndexes names collection \`${addition.collection}\`, which no migration creates`,
      );
    }
    const indexed = normalizeIndexed(current.name, addition.indexed ?? []).filter(
      (field) => !current.indexed.includes(field),
    );
    const existingUnique = new Set(current.unique.map(uniqueConstraintKey));
    const unique = normalizeUnique(current.name, addition.unique ?? []).filter(
      (fields) => !existingUnique.has(uniqueConstraintKey(fields)),
    );
    const merged = normalizeCollectionSpec({
      name: current.name,
      primaryKey: current.primaryKey,
      indexed: [...current.indexed, ...indexed],
      unique: [...current.unique, ...unique],
    });
    const hadColumns = new Set(keyColumns(current));
    for (const field of keyColumns(merged)) {
      if (!hadColumns.has(field))
        changes.push({ kind: 'addColumn', collection: current.name, field });
    }
    for (const field of indexed)
      changes.push({ kind: 'addIndex', collection: current.name, field });
    for (const fields of unique)
      changes.push({ kind: 'addUnique', collection: current.name, fields });
    next.set(current.name, merged);
  }
  for (const drop of migration.dropIndexes ?? []) {
    const current = next.get(drop.collection);
    if (current === undefined) {
      throw new InvalidSchemaError(
        `dropIndexes names collection \`${drop.collection}\`, which no migration creates`,
      );
    }
    const dropped = normalizeIndexed(current.name, drop.indexed);
    for (const field of dropped) {
      if (!current.indexed.includes(field)) {
        throw new InvalidSchemaError(
          `\`${current.name}\` has no plain index on \`${field}\` to drop (indexed: ${current.indexed.join(', ') || 'none'})`,
        );
      }
      const keyed = current.unique.some((fields) => fields.includes(field));
      if (!keyed && declaredSequences.has(sequenceKey(current.name, field))) {
        throw new InvalidSchemaError(
          `\`${field}\` of \`${current.name}\` is numbered by a sequence, which needs it indexed or unique`,
        );
      }
    }
    const merged = normalizeCollectionSpec({
      name: current.name,
      primaryKey: current.primaryKey,
      indexed: current.indexed.filter((field) => !dropped.includes(field)),
      unique: current.unique,
    });
    const keptColumns = new Set(keyColumns(merged));
    for (const field of dropped) {
      changes.push({ kind: 'dropIndex', collection: current.name, field });
      if (!keptColumns.has(field))
        changes.push({ kind: 'dropColumn', collection: current.name, field });
    }
    next.set(current.name, merged);
  }
  return { schema: next, changes, sequences: planSequences(next, migration, declaredSequences) };
}

function planSequences(
  schema: Schema,
  migration: Migration,
  declared: ReadonlySet<string>,
): SequenceSpec[] {
  const taken = new Set(declared);
  const sequences: SequenceSpec[] = [];
  for (const { collection, field } of migration.sequences ?? []) {
    const spec = schema.get(collection);
    if (spec === undefined) {
      throw new InvalidSchemaError(
        `sequences names collection \`${collection}\`, which no migration creates`,
      );
    }
    // The starting point is read with an ordered find, which needs the field's index.
    const keyed =
      spec.indexed.includes(field) || spec.unique.some((fields) => fields.includes(field));
    if (field === spec.primaryKey || !keyed) {
      throw new InvalidSchemaError(
        `sequence field \`${field}\` of \`${collection}\` must be an indexed or unique field other than the primary key; add it with addIndexes first`,
      );
    }
    const key = sequenceKey(collection, field);
    if (taken.has(key)) {
      throw new InvalidSchemaError(
        `the sequence for \`${field}\` of \`${collection}\` already exists`,
      );
    }
    taken.add(key);
    sequences.push({ collection, field });
  }
  return sequences;
}

/**
 * Checks that a handle asks only for what the migrations built, so a missing migration shows
 * up as a clear error instead of an SQL error about a missing column.
 */
export function assertHandleMatchesSchema(schema: Schema, handle: CollectionSpec): void {
  const spec = schema.get(handle.name);
  if (spec === undefined) {
    throw new SchemaMismatchError(
      handle.name,
      'no applied migration creates it; add a migration with `collections: [...]`',
    );
  }
  if (spec.primaryKey !== handle.primaryKey) {
    throw new SchemaMismatchError(
      handle.name,
      `the code says the primary key is \`${handle.primaryKey}\` but the database has \`${spec.primaryKey}\``,
    );
  }
  for (const field of handle.indexed ?? []) {
    if (!spec.indexed.includes(field)) {
      throw new SchemaMismatchError(
        handle.name,
        `the code declares an index on \`${field}\` that no migration adds; add it with addIndexes`,
      );
    }
  }
  const built = new Set(spec.unique.map(uniqueConstraintKey));
  for (const fields of handle.unique ?? []) {
    if (!built.has(uniqueConstraintKey(fields))) {
      throw new SchemaMismatchError(
        handle.name,
        `the code declares unique (${fields.join(', ')}) that no migration adds; add it with addIndexes`,
      );
    }
  }
}
