import { createHash } from 'node:crypto';
import {
  identifierPattern,
  type NormalizedCollectionSpec,
  uniqueConstraintKey,
} from '../../collection.ts';
import { InvalidDocumentError, InvalidSchemaError } from '../../errors.ts';
import type { EncodedDocument } from '../../internal/document.ts';
import type { IndexValue } from '../../internal/index-value.ts';
import type { FindQuery, WhereTerm } from '../../internal/query.ts';
import { keyColumns } from '../../internal/schema.ts';
import { keyText, primaryKeyText } from './key-text.ts';
import type { SqlValue } from './postgres-connection.ts';

/** PostgreSQL truncates identifiers beyond this many bytes (NAMEDATALEN - 1). */
const maxIdentifierBytes = 63;

/**
 * A B-tree entry holds at most about 2.7 kB; refusing a little earlier, before writing, keeps
 * an oversized key a clear `InvalidDocumentError` instead of an aborted transaction.
 */
const maxIndexEntryBytes = 2600;

export interface SqlStatement {
  readonly text: string;
  readonly values: readonly SqlValue[];
}

export function quote(identifier: string): string {
  // Names are validated when collections are defined; this guards the SQL text regardless.
  if (!identifierPattern.test(identifier)) {
    throw new Error(`refusing to use \`${identifier}\` as an SQL identifier`);
  }
  return `"${identifier}"`;
}

/** Refuses a table or column name that PostgreSQL would silently truncate. */
export function assertIdentifierFits(kind: string, identifier: string): void {
  if (Buffer.byteLength(identifier) > maxIdentifierBytes) {
    throw new InvalidSchemaError(
      `${kind} \`${identifier}\` is longer than PostgreSQL's ${maxIdentifierBytes}-byte identifier limit; choose a shorter name`,
    );
  }
}

/** Index names share the schema's namespace with tables, as in SQLite; long ones get a hash. */
export function indexName(
  spec: NormalizedCollectionSpec,
  fields: readonly string[],
  unique: boolean,
): string {
  const parts = unique ? uniqueConstraintKey(fields).split(',') : fields;
  return fitted(`${unique ? 'ux' : 'ix'}_${spec.name}__${parts.join('__')}`);
}

/** A sequence's name, beside the tables and indexes of its schema. */
export function sequenceName(collection: string, field: string): string {
  return fitted(`sq_${collection}__${field}`);
}

function fitted(name: string): string {
  if (Buffer.byteLength(name) <= maxIdentifierBytes) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 12);
  return `${name.slice(0, maxIdentifierBytes - hash.length - 1)}_${hash}`;
}

/** The stored text of a field's value: the primary key as itself, other keys type-tagged. */
export function columnText(
  spec: NormalizedCollectionSpec,
  field: string,
  value: IndexValue,
): string | null {
  return field === spec.primaryKey ? primaryKeyText(value as string) : keyText(value);
}

/** `CREATE TABLE` for a collection: the primary key, the document, then one column per key field. */
export function createTableSql(table: string, spec: NormalizedCollectionSpec): string {
  const columns = [
    `${quote(spec.primaryKey)} text COLLATE "C" NOT NULL`,
    '"doc" json NOT NULL',
    ...keyColumns(spec).map((field) => `${quote(field)} text COLLATE "C"`),
    `CONSTRAINT ${quote(fitted(`pk_${spec.name}`))} PRIMARY KEY (${quote(spec.primaryKey)})`,
  ];
  return `CREATE TABLE ${table} (${columns.join(', ')})`;
}

/**
 * An index on one field is on (field NULLS FIRST, primary key): the order `find` reads in, so
 * an equality filter or a keyset page walks the index instead of sorting.
 */
export function createIndexSql(
  table: string,
  spec: NormalizedCollectionSpec,
  fields: readonly string[],
  unique: boolean,
): string {
  const columns = unique
    ? fields.map(quote)
    : [`${quote(fields[0] as string)} NULLS FIRST`, quote(spec.primaryKey)];
  return `CREATE ${unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${quote(indexName(spec, fields, unique))} ON ${table} (${columns.join(', ')})`;
}

/** A document as its table row: primary key text, JSON text and each key column's text. */
export interface TableRow {
  readonly id: string;
  readonly json: string;
  /** In `keyColumns(spec)` order. */
  readonly keys: readonly (string | null)[];
}

export function tableRow(spec: NormalizedCollectionSpec, encoded: EncodedDocument): TableRow {
  const row: TableRow = {
    id: primaryKeyText(encoded.id),
    json: encoded.json,
    keys: keyColumns(spec).map((field) => keyText(encoded.keys.get(field) ?? null)),
  };
  assertIndexable(spec, row);
  return row;
}

function assertIndexable(spec: NormalizedCollectionSpec, row: TableRow): void {
  const columns = keyColumns(spec);
  const bytes = (field: string): number => {
    const text = field === spec.primaryKey ? row.id : row.keys[columns.indexOf(field)];
    return text == null ? 0 : Buffer.byteLength(text);
  };
  const indexes = [
    [spec.primaryKey],
    ...spec.indexed.map((field) => [field, spec.primaryKey]),
    ...spec.unique,
  ];
  for (const fields of indexes) {
    const total = fields.reduce((sum, field) => sum + bytes(field), 0);
    if (total > maxIndexEntryBytes) {
      throw new InvalidDocumentError(
        spec.name,
        `key fields (${fields.join(', ')}) hold ${total} bytes, more than the ${maxIndexEntryBytes} a PostgreSQL index entry takes; shorten them`,
      );
    }
  }
}

/** Which constraint a write would break: 0 is the primary key, i + 1 is `spec.unique[i]`. */
export function conflictFields(spec: NormalizedCollectionSpec, rule: number): readonly string[] {
  return rule === 0 ? [spec.primaryKey] : (spec.unique[rule - 1] ?? [spec.primaryKey]);
}

/**
 * Writes check their own unique constraints in the same statement, from the transaction's
 * snapshot, and write nothing on a conflict. Expected violations thus never raise an error,
 * which would abort the whole PostgreSQL transaction (SQLite and memory only fail the one
 * statement). Only a concurrent writer the snapshot cannot see still trips the index, and that
 * is a serialisation conflict: the transaction is retried and then sees the row.
 */
function writeStatement(
  table: string,
  spec: NormalizedCollectionSpec,
  row: TableRow,
  checkPrimaryKey: boolean,
  write: (placeholders: RowPlaceholders) => string,
  select: string,
): SqlStatement {
  const { conflict, placeholders } = conflictChecks(table, spec, row, checkPrimaryKey);
  const text = `WITH conflict AS (${conflict}), written AS (${write(placeholders)} RETURNING 1) SELECT ${select}(SELECT min(rule) FROM conflict) AS conflict, (SELECT count(*) FROM written)::int AS written`;
  return { text, values: [row.id, row.json, ...row.keys] };
}

/** The query for the constraints `row` would break (`rule` as `conflictFields` reads it). */
function conflictChecks(
  table: string,
  spec: NormalizedCollectionSpec,
  row: TableRow,
  checkPrimaryKey: boolean,
): { conflict: string; placeholders: RowPlaceholders } {
  const columns = keyColumns(spec);
  const placeholders: RowPlaceholders = {
    id: '$1::text',
    json: '$2::json',
    keys: columns.map((_, index) => `$${index + 3}::text`),
  };
  const placeholderOf = (field: string): string =>
    field === spec.primaryKey
      ? placeholders.id
      : (placeholders.keys[columns.indexOf(field)] as string);
  const storedText = (field: string): string | null =>
    field === spec.primaryKey ? row.id : (row.keys[columns.indexOf(field)] ?? null);

  const checks: string[] = [];
  if (checkPrimaryKey) {
    checks.push(`SELECT 0 AS rule FROM ${table} WHERE ${quote(spec.primaryKey)} = $1::text`);
  }
  spec.unique.forEach((fields, index) => {
    // Like SQL, a unique constraint ignores rows where any of its fields is null.
    if (fields.some((field) => storedText(field) === null)) return;
    const terms = fields.map((field) => `${quote(field)} = ${placeholderOf(field)}`);
    terms.push(`${quote(spec.primaryKey)} <> $1::text`);
    checks.push(`SELECT ${index + 1} AS rule FROM ${table} WHERE ${terms.join(' AND ')}`);
  });
  const conflict =
    checks.length === 0 ? 'SELECT NULL::int AS rule WHERE false' : checks.join(' UNION ALL ');
  return { conflict, placeholders };
}

interface RowPlaceholders {
  readonly id: string;
  readonly json: string;
  readonly keys: readonly string[];
}

/** The shape every write statement returns. */
export interface WriteResult {
  /** Present on `update` only: whether the document existed. */
  readonly present?: boolean;
  readonly conflict: number | null;
  readonly written: number;
}

function insertColumns(spec: NormalizedCollectionSpec): string {
  return [quote(spec.primaryKey), '"doc"', ...keyColumns(spec).map(quote)].join(', ');
}

function insertValues(placeholders: RowPlaceholders): string {
  return [placeholders.id, placeholders.json, ...placeholders.keys].join(', ');
}

/**
 * An insert that writes nothing on a conflict, without reading first: the unique checks of
 * `writeStatement` take predicate locks on the index pages they probe, and inserts of
 * consecutive numbers (a sequence) all probe the same last page, so concurrent replicas'
 * inserts made each other roll back. Only when nothing was written does the caller ask
 * `insertConflictSql` which constraint it was.
 */
export function insertSql(
  table: string,
  spec: NormalizedCollectionSpec,
  row: TableRow,
): SqlStatement {
  const columns = keyColumns(spec);
  const values = ['$1::text', '$2::json', ...columns.map((_, index) => `$${index + 3}::text`)];
  return {
    text: `WITH written AS (INSERT INTO ${table} (${insertColumns(spec)}) VALUES (${values.join(', ')}) ON CONFLICT DO NOTHING RETURNING 1) SELECT NULL::int AS conflict, (SELECT count(*) FROM written)::int AS written`,
    values: [row.id, row.json, ...row.keys],
  };
}

/** Which constraint an insert that wrote nothing ran into, seen from the transaction's snapshot. */
export function insertConflictSql(
  table: string,
  spec: NormalizedCollectionSpec,
  row: TableRow,
): SqlStatement {
  const { conflict, placeholders } = conflictChecks(table, spec, row, true);
  // PostgreSQL wants every parameter typed in the statement, even those the checks skip.
  const typed = [placeholders.id, ...placeholders.keys].map((p) => `${p} IS NULL`).join(' AND ');
  const text = `SELECT (SELECT min(rule) FROM (${conflict}) AS conflict) AS conflict, 0 AS written, ${placeholders.json} IS NULL AND ${typed} AS unused`;
  return { text, values: [row.id, row.json, ...row.keys] };
}

export function upsertSql(
  table: string,
  spec: NormalizedCollectionSpec,
  row: TableRow,
): SqlStatement {
  const assignments = ['"doc"', ...keyColumns(spec).map(quote)].map(
    (column) => `${column} = EXCLUDED.${column}`,
  );
  return writeStatement(
    table,
    spec,
    row,
    false,
    (placeholders) =>
      `INSERT INTO ${table} (${insertColumns(spec)}) SELECT ${insertValues(placeholders)} WHERE NOT EXISTS (SELECT 1 FROM conflict) ON CONFLICT (${quote(spec.primaryKey)}) DO UPDATE SET ${assignments.join(', ')}`,
    '',
  );
}

export function updateSql(
  table: string,
  spec: NormalizedCollectionSpec,
  row: TableRow,
): SqlStatement {
  const key = quote(spec.primaryKey);
  return writeStatement(
    table,
    spec,
    row,
    false,
    (placeholders) => {
      const assignments = [
        `"doc" = ${placeholders.json}`,
        ...keyColumns(spec).map(
          (field, index) => `${quote(field)} = ${placeholders.keys[index] as string}`,
        ),
      ];
      return `UPDATE ${table} SET ${assignments.join(', ')} WHERE ${key} = $1::text AND NOT EXISTS (SELECT 1 FROM conflict)`;
    },
    `EXISTS (SELECT 1 FROM ${table} WHERE ${key} = $1::text) AS present, `,
  );
}

/** Builds numbered parameters as a statement is assembled. */
class Parameters {
  readonly values: SqlValue[] = [];

  text(value: string | null): string {
    this.values.push(value);
    return `$${this.values.length}::text`;
  }

  integer(value: number): string {
    this.values.push(value);
    return `$${this.values.length}::bigint`;
  }
}

function whereSql(
  spec: NormalizedCollectionSpec,
  where: readonly WhereTerm[],
  params: Parameters,
): string {
  if (where.length === 0) return 'true';
  return where
    .map((term) =>
      term.value === null
        ? `${quote(term.field)} IS NULL`
        : `${quote(term.field)} = ${params.text(columnText(spec, term.field, term.value))}`,
    )
    .join(' AND ');
}

/**
 * Keyset pagination on (order field, primary key), in SQLite's order: NULL first ascending
 * and last descending, so a cursor at or around NULL needs its own predicate.
 */
function cursorSql(
  spec: NormalizedCollectionSpec,
  query: FindQuery,
  params: Parameters,
): string | undefined {
  const { after, descending } = query;
  if (after === undefined) return undefined;
  const column = quote(query.orderBy);
  const key = quote(spec.primaryKey);
  const beyond = descending ? '<' : '>';
  if (after.kind === 'value') {
    if (after.value === null) return descending ? 'false' : `${column} IS NOT NULL`;
    const value = params.text(columnText(spec, query.orderBy, after.value));
    return descending ? `(${column} < ${value} OR ${column} IS NULL)` : `${column} > ${value}`;
  }
  const id = params.text(primaryKeyText(after.id));
  if (after.value === null) {
    return descending
      ? `(${column} IS NULL AND ${key} < ${id})`
      : `(${column} IS NOT NULL OR ${key} > ${id})`;
  }
  const value = params.text(columnText(spec, query.orderBy, after.value));
  return `(${column} ${beyond} ${value} OR ${descending ? `${column} IS NULL OR ` : ''}(${column} = ${value} AND ${key} ${beyond} ${id}))`;
}

export function selectSql(
  table: string,
  spec: NormalizedCollectionSpec,
  query: FindQuery,
  column = '"doc"',
): SqlStatement {
  const params = new Parameters();
  const found = foundSql(spec, query, params);
  const order =
    query.orderBy === spec.primaryKey
      ? `${quote(spec.primaryKey)} ${query.descending ? 'DESC' : 'ASC'}`
      : query.descending
        ? `${quote(query.orderBy)} DESC NULLS LAST, ${quote(spec.primaryKey)} DESC`
        : `${quote(query.orderBy)} ASC NULLS FIRST, ${quote(spec.primaryKey)} ASC`;
  let text = `SELECT ${column} FROM ${table} WHERE ${found} ORDER BY ${order}`;
  if (query.limit !== undefined) text += ` LIMIT ${params.integer(query.limit)}`;
  return { text, values: params.values };
}

export function countSql(
  table: string,
  spec: NormalizedCollectionSpec,
  where: readonly WhereTerm[],
): SqlStatement {
  const params = new Parameters();
  const text = `SELECT count(*) AS count FROM ${table} WHERE ${whereSql(spec, where, params)}`;
  return { text, values: params.values };
}

export function deleteWhereSql(
  table: string,
  spec: NormalizedCollectionSpec,
  where: readonly WhereTerm[],
): SqlStatement {
  const params = new Parameters();
  return {
    text: `DELETE FROM ${table} WHERE ${whereSql(spec, where, params)}`,
    values: params.values,
  };
}

/** Deletes the documents a find with `query` would return. */
export function deleteFoundSql(
  table: string,
  spec: NormalizedCollectionSpec,
  query: FindQuery,
): SqlStatement {
  if (query.limit === undefined) {
    // Without a limit the order changes nothing: delete the filter's and the cursor's rows.
    const params = new Parameters();
    return {
      text: `DELETE FROM ${table} WHERE ${foundSql(spec, query, params)}`,
      values: params.values,
    };
  }
  const key = quote(spec.primaryKey);
  const selected = selectSql(table, spec, query, key);
  return {
    text: `DELETE FROM ${table} WHERE ${key} IN (${selected.text})`,
    values: selected.values,
  };
}

/** The rows a find matches before its order and limit: its filter and its cursor. */
function foundSql(spec: NormalizedCollectionSpec, query: FindQuery, params: Parameters): string {
  const filter = whereSql(spec, query.where, params);
  const cursor = cursorSql(spec, query, params);
  return cursor === undefined ? filter : `${filter} AND ${cursor}`;
}
