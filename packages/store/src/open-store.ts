import { type OpenMemoryStoreOptions, openMemoryStore } from './memory/memory-store.ts';
import { type OpenPostgresStoreOptions, openPostgresStore } from './postgres/postgres-store.ts';
import { type OpenSqliteStoreOptions, openSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

export type OpenStoreOptions =
  | ({ readonly kind: 'memory' } & OpenMemoryStoreOptions)
  | ({ readonly kind: 'sqlite' } & OpenSqliteStoreOptions)
  | ({ readonly kind: 'postgres' } & OpenPostgresStoreOptions);

/** Opens the adapter `options.kind` names and brings its schema up to the last migration. */
export function openStore(options: OpenStoreOptions): Promise<Store> {
  switch (options.kind) {
    case 'memory':
      return openMemoryStore(options);
    case 'sqlite':
      return openSqliteStore(options);
    case 'postgres':
      return openPostgresStore(options);
  }
}
