/** Every error the store throws on purpose; `code` is stable, the message says what to do. */
export abstract class StoreError extends Error {
  abstract readonly code: string;
}

/** A write would give two documents the same primary key or the same unique field values. */
export class UniqueViolationError extends StoreError {
  override readonly name = 'UniqueViolationError';
  readonly code = 'unique_violation';
  readonly collection: string;
  readonly fields: readonly string[];

  constructor(collection: string, fields: readonly string[], options?: ErrorOptions) {
    super(
      `\`${collection}\` already holds a document with the same (${fields.join(', ')}); nothing was written`,
      options,
    );
    this.collection = collection;
    this.fields = fields;
  }
}

/** `update` was given a document whose primary key is not in the collection. */
export class NotFoundError extends StoreError {
  override readonly name = 'NotFoundError';
  readonly code = 'not_found';
  readonly collection: string;
  readonly id: string;

  constructor(collection: string, id: string) {
    super(`\`${collection}\` has no document \`${id}\`; use insert or upsert to create it`);
    this.collection = collection;
    this.id = id;
  }
}

/** A query names a field without an index, or passes a value or option the store cannot use. */
export class InvalidQueryError extends StoreError {
  override readonly name = 'InvalidQueryError';
  readonly code = 'invalid_query';
  readonly collection: string;

  constructor(collection: string, message: string) {
    super(`query on \`${collection}\`: ${message}`);
    this.collection = collection;
  }
}

/** A document lacks a string primary key or holds a non-scalar value in a key or index field. */
export class InvalidDocumentError extends StoreError {
  override readonly name = 'InvalidDocumentError';
  readonly code = 'invalid_document';
  readonly collection: string;

  constructor(collection: string, message: string) {
    super(`document for \`${collection}\`: ${message}`);
    this.collection = collection;
  }
}

/** A collection definition or a migration list is malformed (names, keys, version order). */
export class InvalidSchemaError extends StoreError {
  override readonly name = 'InvalidSchemaError';
  readonly code = 'invalid_schema';
}

/** Code uses a collection, key or index that the database's migrations never created. */
export class SchemaMismatchError extends StoreError {
  override readonly name = 'SchemaMismatchError';
  readonly code = 'schema_mismatch';
  readonly collection: string;

  constructor(collection: string, message: string) {
    super(`collection \`${collection}\`: ${message}`);
    this.collection = collection;
  }
}

/** `nextInSequence` named a field that no migration declared as a sequence. */
export class UndeclaredSequenceError extends StoreError {
  override readonly name = 'UndeclaredSequenceError';
  readonly code = 'undeclared_sequence';
  readonly collection: string;
  readonly field: string;

  constructor(collection: string, field: string) {
    super(
      `\`${field}\` of \`${collection}\` has no sequence; declare it in a migration's \`sequences\`: [{ collection: '${collection}', field: '${field}' }]`,
    );
    this.collection = collection;
    this.field = field;
  }
}

/** The database was migrated by newer code than this; opening it could corrupt it. */
export class SchemaTooNewError extends StoreError {
  override readonly name = 'SchemaTooNewError';
  readonly code = 'schema_too_new';
  readonly databaseVersion: number;
  readonly knownVersion: number;

  constructor(location: string, databaseVersion: number, knownVersion: number) {
    super(
      `${location} is at schema version ${databaseVersion} but this code knows migrations up to ${knownVersion}; run the newer esimlab or start from an empty data directory`,
    );
    this.databaseVersion = databaseVersion;
    this.knownVersion = knownVersion;
  }
}

/** The database's migration history disagrees with the code's append-only list. */
export class MigrationHistoryError extends StoreError {
  override readonly name = 'MigrationHistoryError';
  readonly code = 'migration_history_mismatch';
  readonly version: number;

  constructor(location: string, version: number, problem: string) {
    super(
      `${location}: migration ${version} ${problem}; migrations are append-only: never edit, renumber, remove or insert one before the last`,
    );
    this.version = version;
  }
}

/** A pending migration threw; it was rolled back and the database stays at the previous version. */
export class MigrationFailedError extends StoreError {
  override readonly name = 'MigrationFailedError';
  readonly code = 'migration_failed';
  readonly version: number;

  constructor(version: number, migrationName: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`migration ${version} \`${migrationName}\` failed and was rolled back: ${reason}`, {
      cause,
    });
    this.version = version;
  }
}

/** `transaction` was called from inside a transaction of the same store, which would deadlock. */
export class NestedTransactionError extends StoreError {
  override readonly name = 'NestedTransactionError';
  readonly code = 'nested_transaction';

  constructor() {
    super(
      'transaction() was called inside a transaction of the same store; pass the outer `tx` down instead of opening another',
    );
  }
}

/** A `tx` was used after its transaction committed or rolled back (it leaked out of `work`). */
export class TransactionEndedError extends StoreError {
  override readonly name = 'TransactionEndedError';
  readonly code = 'transaction_ended';

  constructor() {
    super(
      'this transaction has already ended; await every store call inside the transaction callback',
    );
  }
}

/** The store was closed (or is closing) and takes no more transactions. */
export class StoreClosedError extends StoreError {
  override readonly name = 'StoreClosedError';
  readonly code = 'store_closed';

  constructor() {
    super('the store is closed; open it again to use it');
  }
}

/**
 * Concurrent transactions on a shared database (PostgreSQL replicas) kept conflicting with
 * this one; every attempt was rolled back, so nothing of it was written.
 */
export class TransactionConflictError extends StoreError {
  override readonly name = 'TransactionConflictError';
  readonly code = 'transaction_conflict';
  readonly attempts: number;

  constructor(attempts: number, cause: unknown) {
    super(
      `the transaction conflicted with concurrent ones ${attempts} times in a row and was rolled back each time; retry the operation later, or raise maxAttempts if contention is expected`,
      { cause },
    );
    this.attempts = attempts;
  }
}

/** The database server could not be reached, or its address is not one the store understands. */
export class StoreConnectionError extends StoreError {
  override readonly name = 'StoreConnectionError';
  readonly code = 'store_connection_failed';

  constructor(target: string, reason: string, options?: ErrorOptions) {
    super(
      `cannot connect to ${target}: ${reason}; check that the server runs and that the URL has the form postgres://user@host:5432/database`,
      options,
    );
  }
}
