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
  #getKeys: Database.Statement | undefined;
  #insert: Database.Statement | undefined;
  /** `UPDATE`s by the key columns they set (a list of their positions in `#keyFields`). */
  readonly #updates = new Map<string, Database.Statement>();
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

  /**
   * The statement that stores `encoded` over the row with its primary key, and what it takes;
   * undefined if there is no such row. It sets the key columns whose values changed, and no
   * others: SQLite rewrites the entry of every index on a column an `UPDATE` sets, changed or
   * not, so setting them all rewrote each of a table's indexes on every update (a capture
   * changes a charge's status, not its tenant, eSIM or time). Reading a charge among 50,000
   * and changing its status took 54-83 µs of CPU this way, against 71-102 µs setting every
   * column, in alternating runs; the key columns' read costs less than the index entries it
   * spares.
   */
  update(
    encoded: EncodedDocument,
  ): { statement: Database.Statement; params: IndexValue[] } | undefined {
    const params: IndexValue[] = [encoded.json];
    const changed: number[] = [];
    if (this.#keyFields.length > 0) {
      const stored = this.#storedKeys(encoded.id);
      if (stored === undefined) return undefined;
      this.#keyFields.forEach((field, i) => {
        const value = encoded.keys.get(field) ?? null;
        // Key columns have no declared type, so SQLite keeps a value as bound, and
        // better-sqlite3 (without safeIntegers) reads a number back as the same double: a value
        // that reads back equal is stored equal.
        if (value === stored[i]) return;
        changed.push(i);
        params.push(value);
      });
    }
    params.push(encoded.id);
    const shape = changed.join(',');
    let statement = this.#updates.get(shape);
    if (statement === undefined) {
      const set = [
        '"doc" = ?',
        ...changed.map((i) => `${quote(this.#keyFields[i] as string)} = ?`),
      ];
      statement = this.#db.prepare(
        `UPDATE ${this.name} SET ${set.join(', ')} WHERE ${this.#columns[0]} = ?`,
      );
      this.#updates.set(shape, statement);
    }
    return { statement, params };
  }

  /** The key columns' values in the row with primary key `id`, in `#keyFields` order. */
  #storedKeys(id: string): IndexValue[] | undefined {
    this.#getKeys ??= this.#db
      .prepare(
        `SELECT ${this.#keyFields.map(quote).join(', ')} FROM ${this.name} WHERE ${this.#columns[0]} = ?`,
      )
      .raw();
    return this.#getKeys.get(id) as IndexValue[] | undefined;
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
