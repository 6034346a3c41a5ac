export {
  type Collection,
  type CollectionDefinition,
  type CollectionSpec,
  defineCollection,
  type ScalarField,
  type ScalarValue,
  type StringField,
} from './collection.ts';
export {
  InvalidDocumentError,
  InvalidQueryError,
  InvalidSchemaError,
  MigrationFailedError,
  MigrationHistoryError,
  NestedTransactionError,
  NotFoundError,
  SchemaMismatchError,
  SchemaTooNewError,
  StoreClosedError,
  StoreConnectionError,
  StoreError,
  TransactionConflictError,
  TransactionEndedError,
  UndeclaredSequenceError,
  UniqueViolationError,
} from './errors.ts';
export { cursorAfter, type FindAfter, type KeysetCursor } from './keyset-cursor.ts';
export {
  MemoryDatabase,
  type OpenMemoryStoreOptions,
  openMemoryStore,
} from './memory/memory-store.ts';
export type { IndexAddition, Migration, SequenceSpec } from './migration.ts';
export { type OpenStoreOptions, openStore } from './open-store.ts';
export {
  type OpenPostgresStoreOptions,
  openPostgresStore,
} from './postgres/postgres-store.ts';
export { type OpenSqliteStoreOptions, openSqliteStore } from './sqlite/sqlite-store.ts';
export type {
  CommonStoreOptions,
  FindOptions,
  Store,
  StoreKind,
  StoreTx,
  Where,
} from './store.ts';
