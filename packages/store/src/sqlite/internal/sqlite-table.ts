import type Database from 'better-sqlite3';
import { identifierPattern, type NormalizedCollectionSpec } from '../../collection.ts';
import type { EncodedDocument } from '../../internal/document.ts';
import type { IndexValue } from '../../internal/index-value.ts';
import { keyColumns } from '../../internal/schema.ts';

/**
 * One collection's table as a migrated schema shapes it: `(<primary key>, doc, <key columns>)`,
 * with its by-key statements prepared once. A top-up runs dozens of these; building and
 * looking up their SQL text on every call cost more than some of the statements themselves.
 */
export class SqliteTable {
  readonly spec: NormalizedCollectionSpec;
  /** The quoted table name. */
  readonly name: string;
  readonly #db: Database.Database;
  readonly #keyFields: readonly string[];
  readonly #columns: readonly string[];
  #get: Database.Statement | undefined;
  #insert: Database.Statement | undefined;
  #update: Database.Statement | undefined;
  #upsert: Database.Statement | undefined;
  #delete: Database.Statement | undefined;

  constructor(db: Database.Database, spec: NormalizedCollectionSpec) {
    this.#db = db;
    this.spec = spec;
    this.name = quote(spec.name);
    this.#keyFields = keyColumns(spec);
    this.#columns = [quote(spec.primaryKey), '"doc"', ...this.#keyFields.map(quote)];
  }

  /** `SELECT doc … WHERE <primary key> = ?`, plucked. */
  get selectById(): Database.Statement {
    this.#get ??= this.#db
      .prepare(`SELECT "doc" FROM ${this.name} WHERE ${this.#columns[0]} = ?`)
      .pluck();
    return this.#get;
  }

  /** Takes `row(encoded)`. */
  get insert(): Database.Statement {
    this.#insert ??= this.#db.prepare(
      `INSERT INTO ${this.name} (${this.#columns.join(', ')}) VALUES (${this.#placeholders()})`,
    );
    return this.#insert;
  }

  /** Takes `row(encoded)`: the document and key columns first, the primary key last. */
  get update(): Database.Statement {
    this.#update ??= this.#db.prepare(
      `UPDATE ${this.name} SET ${this.#columns
        .slice(1)
        .map((column) => `${column} = ?`)
        .join(', ')} WHERE ${this.#columns[0]} = ?`,
    );
    return this.#update;
  }

  /** Takes `row(encoded)`. */
  get upsert(): Database.Statement {
    this.#upsert ??= this.#db.prepare(
      `INSERT INTO ${this.name} (${this.#columns.join(', ')}) VALUES (${this.#placeholders()}) ON CONFLICT (${this.#columns[0]}) DO UPDATE SET ${this.#columns
        .slice(1)
        .map((column) => `${column} = excluded.${column}`)
        .join(', ')}`,
    );
    return this.#upsert;
  }

  get deleteById(): Database.Statement {
    this.#delete ??= this.#db.prepare(`DELETE FROM ${this.name} WHERE ${this.#columns[0]} = ?`);
    return this.#delete;
  }

  /** The values of a row, in column order: primary key, document, key columns. */
  row(encoded: EncodedDocument): IndexValue[] {
    const values: IndexValue[] = [encoded.id, encoded.json];
    for (const field of this.#keyFields) values.push(encoded.keys.get(field) ?? null);
    return values;
  }

  /** The values `update` takes: the row without its primary key, then the primary key. */
  updateRow(encoded: EncodedDocument): IndexValue[] {
    const values = this.row(encoded);
    values.push(values.shift() as IndexValue);
    return values;
  }

  #placeholders(): string {
    return this.#columns.map(() => '?').join(', ');
  }
}

/** An identifier as SQL text, after checking it is one (names are validated when defined). */
export function quote(identifier: string): string {
  if (!identifierPattern.test(identifier)) {
    throw new Error(`refusing to use \`${identifier}\` as an SQL identifier`);
  }
  return `"${identifier}"`;
}
