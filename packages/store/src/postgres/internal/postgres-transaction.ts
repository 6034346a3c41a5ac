import type {
  Collection,
  CollectionSpec,
  NormalizedCollectionSpec,
  ScalarField,
} from '../../collection.ts';
import {
  NotFoundError,
  TransactionEndedError,
  UndeclaredSequenceError,
  UniqueViolationError,
} from '../../errors.ts';
import { encodeDocument } from '../../internal/document.ts';
import { parseFind, parseWhere } from '../../internal/query.ts';
import type { FindOptions, StoreTx, Where } from '../../store.ts';
import { primaryKeyText } from './key-text.ts';
import type { PostgresConnection } from './postgres-connection.ts';
import { isSerializationFailure, isUniqueViolation } from './serialization-retry.ts';
import {
  conflictFields,
  countSql,
  deleteFoundSql,
  deleteWhereSql,
  insertConflictSql,
  insertSql,
  quote,
  type SqlStatement,
  selectSql,
  tableRow,
  updateSql,
  upsertSql,
  type WriteResult,
} from './table-sql.ts';

/** What a transaction needs from its store: the migrated specs and where their tables live. */
export interface TransactionHost {
  specFor(handle: CollectionSpec): NormalizedCollectionSpec;
  table(collection: string): string;
  /** The schema-qualified, quoted name of a declared sequence; undefined if none. */
  sequence(collection: string, field: string): string | undefined;
}

/**
 * Why the PostgreSQL transaction can no longer commit. After any failed statement PostgreSQL
 * refuses every further one and turns COMMIT into a rollback, so the store must know, even if
 * `work` caught the error and carried on.
 */
export interface TransactionFailure {
  readonly error: unknown;
  /** Lost a race with a concurrent transaction: running `work` again may succeed. */
  readonly retryable: boolean;
}

/** A concurrent writer took a unique value this transaction's snapshot showed as free. */
class ConcurrentWriteError extends Error {
  override readonly name = 'ConcurrentWriteError';

  constructor(collection: string) {
    super(
      `a concurrent transaction wrote a conflicting document into \`${collection}\`; the transaction will run again`,
    );
  }
}

export class PostgresTransaction implements StoreTx {
  readonly #host: TransactionHost;
  readonly #connection: PostgresConnection;
  #active = true;
  #failure: TransactionFailure | undefined;

  constructor(host: TransactionHost, connection: PostgresConnection) {
    this.#host = host;
    this.#connection = connection;
  }

  get failure(): TransactionFailure | undefined {
    return this.#failure;
  }

  async get<T>(collection: Collection<T>, id: string): Promise<T | undefined> {
    const { spec, table } = this.#target(collection);
    const result = await this.#run<{ doc: T }>({
      text: `SELECT "doc" FROM ${table} WHERE ${quote(spec.primaryKey)} = $1::text`,
      values: [primaryKeyText(id)],
    });
    return result.rows[0]?.doc;
  }

  async find<T>(
    collection: Collection<T>,
    where: Where<T>,
    options?: FindOptions<T>,
  ): Promise<T[]> {
    const { spec, table } = this.#target(collection);
    const query = parseFind(collection, where, options as FindOptions<unknown>);
    const result = await this.#run<{ doc: T }>(selectSql(table, spec, query));
    return result.rows.map((row) => row.doc);
  }

  async count<T>(collection: Collection<T>, where: Where<T>): Promise<number> {
    const { spec, table } = this.#target(collection);
    const result = await this.#run<{ count: string }>(
      countSql(table, spec, parseWhere(collection, where)),
    );
    return Number(result.rows[0]?.count ?? 0);
  }

  async insert<T>(collection: Collection<T>, doc: T): Promise<void> {
    const { spec, table } = this.#target(collection);
    const row = this.#row(spec, doc);
    const outcome = await this.#write(spec, insertSql(table, spec, row));
    if (outcome.written === 0) {
      this.#settleWrite(spec, await this.#write(spec, insertConflictSql(table, spec, row)));
    }
  }

  async update<T>(collection: Collection<T>, doc: T): Promise<void> {
    const { spec, table } = this.#target(collection);
    const encoded = encodeDocument(spec, doc);
    const outcome = await this.#write(spec, updateSql(table, spec, tableRow(spec, encoded)));
    if (outcome.present === false) throw new NotFoundError(spec.name, encoded.id);
    this.#settleWrite(spec, outcome);
  }

  async upsert<T>(collection: Collection<T>, doc: T): Promise<void> {
    const { spec, table } = this.#target(collection);
    const outcome = await this.#write(spec, upsertSql(table, spec, this.#row(spec, doc)));
    this.#settleWrite(spec, outcome);
  }

  async delete<T>(collection: Collection<T>, id: string): Promise<boolean> {
    const { spec, table } = this.#target(collection);
    const result = await this.#run({
      text: `DELETE FROM ${table} WHERE ${quote(spec.primaryKey)} = $1::text`,
      values: [primaryKeyText(id)],
    });
    return (result.rowCount ?? 0) > 0;
  }

  async deleteWhere<T>(collection: Collection<T>, where: Where<T>): Promise<number> {
    const { spec, table } = this.#target(collection);
    const result = await this.#run(deleteWhereSql(table, spec, parseWhere(collection, where)));
    return result.rowCount ?? 0;
  }

  async deleteFound<T>(
    collection: Collection<T>,
    where: Where<T>,
    options: FindOptions<T>,
  ): Promise<number> {
    const { spec, table } = this.#target(collection);
    const query = parseFind(collection, where, options as FindOptions<unknown>);
    const result = await this.#run(deleteFoundSql(table, spec, query));
    return result.rowCount ?? 0;
  }

  async nextInSequence<T>(collection: Collection<T>, field: ScalarField<T>): Promise<number> {
    const { spec } = this.#target(collection);
    const sequence = this.#host.sequence(spec.name, field);
    if (sequence === undefined) throw new UndeclaredSequenceError(spec.name, field);
    // nextval is outside transactions: it takes no snapshot or predicate lock, so two
    // replicas taking values at once never make each other roll back.
    const result = await this.#run<{ value: string }>({
      text: 'SELECT nextval($1::regclass) AS value',
      values: [sequence],
    });
    return Number(result.rows[0]?.value);
  }

  end(): void {
    this.#active = false;
  }

  #target(collection: CollectionSpec): { spec: NormalizedCollectionSpec; table: string } {
    if (!this.#active) throw new TransactionEndedError();
    // Once PostgreSQL has aborted the transaction, every statement would fail: say why.
    if (this.#failure !== undefined) throw this.#failure.error;
    const spec = this.#host.specFor(collection);
    return { spec, table: this.#host.table(spec.name) };
  }

  #row(spec: NormalizedCollectionSpec, doc: unknown) {
    return tableRow(spec, encodeDocument(spec, doc));
  }

  async #run<R extends object>(statement: SqlStatement, write = false) {
    try {
      return await this.#connection.query<R & Record<string, unknown>>(
        statement.text,
        statement.values,
      );
    } catch (error) {
      // A unique index tripping despite the statement's own check means a concurrent writer
      // the snapshot cannot see got there first: a serialisation conflict in all but name.
      const retryable = isSerializationFailure(error) || (write && isUniqueViolation(error));
      this.#failure = { error, retryable };
      throw error;
    }
  }

  async #write(spec: NormalizedCollectionSpec, statement: SqlStatement): Promise<WriteResult> {
    const result = await this.#run<WriteResult>(statement, true);
    const outcome = result.rows[0];
    if (outcome === undefined) throw new Error(`a write to \`${spec.name}\` returned no outcome`);
    return outcome;
  }

  #settleWrite(spec: NormalizedCollectionSpec, outcome: WriteResult): void {
    if (outcome.conflict !== null) {
      throw new UniqueViolationError(spec.name, conflictFields(spec, outcome.conflict));
    }
    if (outcome.written === 0) {
      // ON CONFLICT DO NOTHING skipped a row that none of the checks could see.
      const error = new ConcurrentWriteError(spec.name);
      this.#failure = { error, retryable: true };
      throw error;
    }
  }
}
