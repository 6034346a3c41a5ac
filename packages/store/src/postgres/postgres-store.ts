import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import {
  type CollectionSpec,
  identifierPattern,
  type NormalizedCollectionSpec,
} from '../collection.ts';
import {
  InvalidSchemaError,
  MigrationFailedError,
  StoreConnectionError,
  TransactionConflictError,
  UniqueViolationError,
} from '../errors.ts';
import { encodeDocument } from '../internal/document.ts';
import {
  type AppliedMigration,
  assertHandleMatchesSchema,
  keyColumns,
  pendingMigrations,
  planMigration,
  type Schema,
  type SchemaChange,
  sequenceKey,
  validateMigrations,
} from '../internal/schema.ts';
import { sequenceStart } from '../internal/sequence-start.ts';
import { TransactionGate } from '../internal/transaction-gate.ts';
import type { Migration } from '../migration.ts';
import type { CommonStoreOptions, Store, StoreTx } from '../store.ts';
import { keyText } from './internal/key-text.ts';
import { PostgresConnection } from './internal/postgres-connection.ts';
import { PostgresTransaction } from './internal/postgres-transaction.ts';
import {
  type AttemptOutcome,
  isSerializationFailure,
  isUniqueViolation,
  retryDelayMs,
} from './internal/serialization-retry.ts';
import {
  assertIdentifierFits,
  createIndexSql,
  createTableSql,
  indexName,
  quote,
  sequenceName,
} from './internal/table-sql.ts';

export interface OpenPostgresStoreOptions extends CommonStoreOptions {
  /** `postgres://user[:password]@host[:port]/database`; any libpq-style URL `pg` accepts. */
  readonly url: string;
  readonly migrations: readonly Migration[];
  /**
   * The PostgreSQL schema that holds this store's tables, created if missing; default
   * `public`. Stores that must not share data (two carriers, two tests) use different ones.
   */
  readonly schema?: string;
  /** Connections to keep; transactions run one at a time per store, so 2 is plenty. */
  readonly maxConnections?: number;
  /** How often to run a transaction that keeps losing races before giving up; default 10. */
  readonly maxAttempts?: number;
  /** Shown in `pg_stat_activity`; default `esimlab`. */
  readonly applicationName?: string;
  /** How long to wait for a connection; default 10 000 ms. */
  readonly connectTimeoutMs?: number;
}

const defaultMaxAttempts = 10;

/**
 * Opens a store in a PostgreSQL schema and applies pending migrations, once, even when several
 * processes open the same schema at the same moment (they queue on an advisory lock).
 *
 * Layout, as in SQLite: one table per collection with the primary key, the document (`json`,
 * kept byte for byte as written, unlike `jsonb`, which reorders keys and refuses U+0000), and
 * one `text COLLATE "C"` column per indexed or unique field, holding an order-preserving
 * encoding of the value (see `key-text.ts`). So equality, `NULLS FIRST` ordering and keyset
 * cursors match SQLite exactly, and PostgreSQL's own unique indexes enforce uniqueness. A
 * declared sequence is a PostgreSQL sequence in the same schema, recorded in `schema_sequences`.
 *
 * Isolation: every transaction is `SERIALIZABLE`. One that loses a race with another store's
 * (serialization failure, deadlock) is rolled back and run again after a jittered backoff, up
 * to `maxAttempts` times; then `TransactionConflictError`. Durability is PostgreSQL's: a
 * commit is acknowledged once it is flushed to the server's WAL.
 */
export async function openPostgresStore(options: OpenPostgresStoreOptions): Promise<Store> {
  validateMigrations(options.migrations);
  const schema = options.schema ?? 'public';
  if (!identifierPattern.test(schema)) {
    throw new InvalidSchemaError(
      `PostgreSQL schema \`${schema}\` must match ${identifierPattern.source}`,
    );
  }
  assertIdentifierFits('PostgreSQL schema', schema);
  const maxAttempts = options.maxAttempts ?? defaultMaxAttempts;
  if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1) {
    throw new InvalidSchemaError(`maxAttempts must be a positive integer, not ${maxAttempts}`);
  }
  const server = describeServer(options.url);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 2,
    application_name: options.applicationName ?? 'esimlab',
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection the server closed is dropped by the pool and replaced on demand; the
  // listener only keeps the event from crashing the process.
  pool.on('error', () => {});
  const store = new PostgresStore(pool, {
    server,
    schema,
    maxAttempts,
    detectNesting: options.detectNestedTransactions ?? true,
  });
  try {
    await store.migrate(options.migrations);
    return store;
  } catch (error) {
    await pool.end();
    throw error;
  }
}

interface PostgresStoreSettings {
  readonly server: string;
  readonly schema: string;
  readonly maxAttempts: number;
  readonly detectNesting: boolean;
}

class PostgresStore implements Store {
  readonly kind = 'postgres';
  readonly #pool: pg.Pool;
  readonly #settings: PostgresStoreSettings;
  readonly #location: string;
  readonly #gate: TransactionGate;
  #schema: Schema = new Map();
  /** Qualified sequence names by `sequenceKey`. */
  #sequences: ReadonlyMap<string, string> = new Map();
  #checkedHandles = new WeakSet<CollectionSpec>();

  constructor(pool: pg.Pool, settings: PostgresStoreSettings) {
    this.#pool = pool;
    this.#settings = settings;
    this.#gate = new TransactionGate({ detectNesting: settings.detectNesting });
    this.#location = `PostgreSQL schema ${settings.schema} at ${settings.server}`;
  }

  transaction<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.#gate.run(() =>
      this.#withConnection((connection) => this.#retrying(() => this.#attempt(connection, work))),
    );
  }

  close(): Promise<void> {
    return this.#gate.close(() => this.#pool.end());
  }

  async migrate(migrations: readonly Migration[]): Promise<void> {
    await this.#withConnection(async (connection) => {
      // Session-level, so it spans the one-transaction-per-migration loop; the server drops
      // it if this process dies.
      const lock = `esimlab-store-migrations:${this.#settings.schema}`;
      await connection.run('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lock]);
      try {
        await this.#createBookkeeping(connection);
        let done = false;
        while (!done)
          done = await this.#retrying(() => this.#migrationStep(connection, migrations));
      } finally {
        if (!connection.broken) {
          await connection
            .run('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lock])
            .catch(() => {});
        }
      }
    });
  }

  /** The migrated spec of the collection a handle names, after checking the handle fits it. */
  specFor(handle: CollectionSpec): NormalizedCollectionSpec {
    if (!this.#checkedHandles.has(handle)) {
      assertHandleMatchesSchema(this.#schema, handle);
      this.#checkedHandles.add(handle);
    }
    return this.#schema.get(handle.name) as NormalizedCollectionSpec;
  }

  table(collection: string): string {
    return `${quote(this.#settings.schema)}.${quote(collection)}`;
  }

  sequence(collection: string, field: string): string | undefined {
    return this.#sequences.get(sequenceKey(collection, field));
  }

  async #withConnection<T>(use: (connection: PostgresConnection) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new StoreConnectionError(`PostgreSQL at ${this.#settings.server}`, reason, {
        cause: error,
      });
    }
    const connection = new PostgresConnection(client);
    try {
      return await use(connection);
    } finally {
      connection.release();
    }
  }

  async #retrying<T>(attempt: () => Promise<AttemptOutcome<T>>): Promise<T> {
    for (let attempts = 1; ; attempts++) {
      const outcome = await attempt();
      if (outcome.kind === 'committed') return outcome.value;
      if (attempts >= this.#settings.maxAttempts) {
        throw new TransactionConflictError(attempts, outcome.error);
      }
      await sleep(retryDelayMs(attempts));
    }
  }

  async #attempt<T>(
    connection: PostgresConnection,
    work: (tx: StoreTx) => Promise<T>,
  ): Promise<AttemptOutcome<T>> {
    await connection.run('BEGIN ISOLATION LEVEL SERIALIZABLE');
    const tx = new PostgresTransaction(this, connection);
    let value: T;
    try {
      value = await work(tx);
    } catch (error) {
      tx.end();
      await connection.rollback();
      if (tx.failure?.retryable) return { kind: 'conflicted', error: tx.failure.error };
      throw error;
    }
    tx.end();
    const { failure } = tx;
    if (failure !== undefined) {
      // `work` caught a failed statement and returned: PostgreSQL would turn COMMIT into a
      // rollback, so never report this attempt as committed.
      await connection.rollback();
      if (failure.retryable) return { kind: 'conflicted', error: failure.error };
      throw failure.error;
    }
    let commit: pg.QueryResult;
    try {
      commit = await connection.run('COMMIT');
    } catch (error) {
      // SERIALIZABLE may refuse at COMMIT; the transaction is already rolled back then.
      if (isSerializationFailure(error)) return { kind: 'conflicted', error };
      throw error;
    }
    if (commit.command === 'ROLLBACK') {
      // A statement `work` did not await failed after the check above, and PostgreSQL
      // answered COMMIT by rolling back.
      const late = tx.failure;
      if (late?.retryable) return { kind: 'conflicted', error: late.error };
      throw (
        late?.error ?? new Error('PostgreSQL rolled the transaction back instead of committing it')
      );
    }
    return { kind: 'committed', value };
  }

  async #createBookkeeping(connection: PostgresConnection): Promise<void> {
    const { schema } = this.#settings;
    const exists = await connection.run('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    // Checked first: CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege even when it exists.
    if (exists.rowCount === 0) await connection.run(`CREATE SCHEMA IF NOT EXISTS ${quote(schema)}`);
    await connection.run(`
      CREATE TABLE IF NOT EXISTS ${this.table('schema_migrations')} (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    await connection.run(`
      CREATE TABLE IF NOT EXISTS ${this.table('schema_collections')} (
        name text PRIMARY KEY,
        spec json NOT NULL
      )`);
    await connection.run(`
      CREATE TABLE IF NOT EXISTS ${this.table('schema_sequences')} (
        collection text NOT NULL,
        field text NOT NULL,
        sequence text NOT NULL,
        PRIMARY KEY (collection, field)
      )`);
  }

  /**
   * Applies the first pending migration in its own transaction, re-reading the history under
   * the lock; resolves to `true` once nothing is pending.
   */
  async #migrationStep(
    connection: PostgresConnection,
    migrations: readonly Migration[],
  ): Promise<AttemptOutcome<boolean>> {
    await connection.run('BEGIN ISOLATION LEVEL SERIALIZABLE');
    let pending: Migration[];
    let before: Schema;
    let sequencesBefore: ReadonlyMap<string, string>;
    try {
      pending = pendingMigrations(this.#location, migrations, await this.#readApplied(connection));
      before = await this.#readSchema(connection);
      sequencesBefore = await this.#readSequences(connection);
    } catch (error) {
      await connection.rollback();
      if (isSerializationFailure(error)) return { kind: 'conflicted', error };
      throw error;
    }
    const migration = pending[0];
    if (migration === undefined) {
      try {
        await connection.run('COMMIT');
      } catch (error) {
        if (isSerializationFailure(error)) return { kind: 'conflicted', error };
        throw error;
      }
      this.#schemaChanged(before, sequencesBefore);
      return { kind: 'committed', value: true };
    }
    let tx: PostgresTransaction | undefined;
    try {
      const plan = planMigration(before, migration, new Set(sequencesBefore.keys()));
      for (const change of plan.changes) await this.#applyChange(connection, plan.schema, change);
      await this.#saveSchema(connection, plan.schema, plan.changes);
      this.#schemaChanged(plan.schema, sequencesBefore);
      if (plan.sequences.length > 0) {
        tx = new PostgresTransaction(this, connection);
        const sequences = new Map(sequencesBefore);
        try {
          for (const { collection, field } of plan.sequences) {
            const spec = plan.schema.get(collection) as NormalizedCollectionSpec;
            const start = await sequenceStart(tx, spec, field);
            const name = await this.#createSequence(connection, collection, field, start);
            sequences.set(sequenceKey(collection, field), name);
          }
        } finally {
          tx.end();
        }
        if (tx.failure !== undefined) throw tx.failure.error;
        this.#schemaChanged(plan.schema, sequences);
      }
      if (migration.up) {
        tx = new PostgresTransaction(this, connection);
        try {
          await migration.up(tx);
        } finally {
          tx.end();
        }
        if (tx.failure !== undefined) throw tx.failure.error;
      }
      await connection.run(
        `INSERT INTO ${this.table('schema_migrations')} (version, name) VALUES ($1, $2)`,
        [migration.version, migration.name],
      );
      await connection.run('COMMIT');
      return { kind: 'committed', value: false };
    } catch (error) {
      await connection.rollback();
      this.#schemaChanged(before, sequencesBefore);
      if (isSerializationFailure(error) || tx?.failure?.retryable) {
        return { kind: 'conflicted', error };
      }
      throw new MigrationFailedError(migration.version, migration.name, error);
    }
  }

  async #readApplied(connection: PostgresConnection): Promise<AppliedMigration[]> {
    const result = await connection.run<AppliedMigration>(
      `SELECT version, name FROM ${this.table('schema_migrations')} ORDER BY version`,
    );
    return result.rows;
  }

  async #readSchema(connection: PostgresConnection): Promise<Schema> {
    const result = await connection.run<{ spec: NormalizedCollectionSpec }>(
      `SELECT spec FROM ${this.table('schema_collections')}`,
    );
    return new Map(result.rows.map(({ spec }) => [spec.name, spec]));
  }

  async #saveSchema(
    connection: PostgresConnection,
    schema: Schema,
    changes: readonly SchemaChange[],
  ): Promise<void> {
    const touched = new Set(
      changes.map((change) =>
        change.kind === 'createCollection' ? change.spec.name : change.collection,
      ),
    );
    for (const name of touched) {
      await connection.run(
        `INSERT INTO ${this.table('schema_collections')} (name, spec) VALUES ($1, $2::json) ON CONFLICT (name) DO UPDATE SET spec = EXCLUDED.spec`,
        [name, JSON.stringify(schema.get(name))],
      );
    }
  }

  async #readSequences(connection: PostgresConnection): Promise<ReadonlyMap<string, string>> {
    const result = await connection.run<{ collection: string; field: string; sequence: string }>(
      `SELECT collection, field, sequence FROM ${this.table('schema_sequences')}`,
    );
    return new Map(
      result.rows.map(({ collection, field, sequence }) => [
        sequenceKey(collection, field),
        this.table(sequence),
      ]),
    );
  }

  /**
   * Creates the sequence so that its first value is `start + 1`, records it, and returns its
   * qualified name. Capped at Number.MAX_SAFE_INTEGER so every value survives as a JS number.
   */
  async #createSequence(
    connection: PostgresConnection,
    collection: string,
    field: string,
    start: number,
  ): Promise<string> {
    const name = sequenceName(collection, field);
    const qualified = this.table(name);
    await connection.run(
      `CREATE SEQUENCE ${qualified} AS bigint MAXVALUE ${Number.MAX_SAFE_INTEGER}`,
    );
    await connection.run('SELECT setval($1::regclass, $2::bigint, false)', [qualified, start + 1]);
    await connection.run(
      `INSERT INTO ${this.table('schema_sequences')} (collection, field, sequence) VALUES ($1, $2, $3)`,
      [collection, field, name],
    );
    return qualified;
  }

  #schemaChanged(schema: Schema, sequences: ReadonlyMap<string, string>): void {
    this.#schema = schema;
    this.#sequences = sequences;
    this.#checkedHandles = new WeakSet();
  }

  async #applyChange(
    connection: PostgresConnection,
    schema: Schema,
    change: SchemaChange,
  ): Promise<void> {
    switch (change.kind) {
      case 'createCollection': {
        const { spec } = change;
        assertIdentifierFits('collection name', spec.name);
        for (const field of [spec.primaryKey, ...keyColumns(spec)]) {
          assertIdentifierFits(`field of \`${spec.name}\``, field);
        }
        await connection.run(createTableSql(this.table(spec.name), spec));
        for (const field of spec.indexed) await this.#createIndex(connection, spec, [field], false);
        for (const fields of spec.unique) await this.#createIndex(connection, spec, fields, true);
        return;
      }
      case 'addColumn': {
        const spec = schema.get(change.collection) as NormalizedCollectionSpec;
        assertIdentifierFits(`field of \`${spec.name}\``, change.field);
        const table = this.table(spec.name);
        const column = quote(change.field);
        await connection.run(`ALTER TABLE ${table} ADD COLUMN ${column} text COLLATE "C"`);
        // Backfill from the stored documents, as the adapter would have written the column.
        const rows = await connection.run<{ id: string; doc: unknown }>(
          `SELECT ${quote(spec.primaryKey)} AS id, "doc" FROM ${table}`,
        );
        const values = rows.rows.map(({ doc }) =>
          keyText(encodeDocument(spec, doc).keys.get(change.field) ?? null),
        );
        await connection.run(
          `UPDATE ${table} SET ${column} = backfill.value FROM unnest($1::text[], $2::text[]) AS backfill (id, value) WHERE ${table}.${quote(spec.primaryKey)} = backfill.id`,
          [rows.rows.map(({ id }) => id), values],
        );
        return;
      }
      case 'addIndex':
        await this.#createIndex(
          connection,
          schema.get(change.collection) as NormalizedCollectionSpec,
          [change.field],
          false,
        );
        return;
      case 'addUnique':
        await this.#createIndex(
          connection,
          schema.get(change.collection) as NormalizedCollectionSpec,
          change.fields,
          true,
        );
        return;
      case 'dropIndex': {
        // Index names are derived from the collection's name and fields only.
        const spec = schema.get(change.collection) as NormalizedCollectionSpec;
        await connection.run(
          `DROP INDEX IF EXISTS ${quote(this.#settings.schema)}.${quote(indexName(spec, [change.field], false))}`,
        );
        return;
      }
      case 'dropColumn':
        await connection.run(
          `ALTER TABLE ${this.table(change.collection)} DROP COLUMN ${quote(change.field)}`,
        );
        return;
    }
  }

  async #createIndex(
    connection: PostgresConnection,
    spec: NormalizedCollectionSpec,
    fields: readonly string[],
    unique: boolean,
  ): Promise<void> {
    // The primary key is already a unique index.
    if (fields.length === 1 && fields[0] === spec.primaryKey) return;
    try {
      await connection.run(createIndexSql(this.table(spec.name), spec, fields, unique));
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new UniqueViolationError(spec.name, fields, { cause: error });
      }
      throw error;
    }
  }
}

/** Where the server is, for messages: host, port and database, never the credentials. */
function describeServer(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreConnectionError('PostgreSQL', 'the store URL is not a valid URL');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new StoreConnectionError(
      'PostgreSQL',
      `the store URL starts with ${parsed.protocol}// instead of postgres://`,
    );
  }
  const host = parsed.hostname === '' ? 'localhost' : parsed.hostname;
  return `${host}${parsed.port === '' ? '' : `:${parsed.port}`}${parsed.pathname}`;
}
