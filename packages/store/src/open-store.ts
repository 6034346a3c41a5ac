import { type MemoryDatabase, openMemoryStore } from './memory/memory-store.ts';
import type { Migration } from './migration.ts';
import { type OpenPostgresStoreOptions, openPostgresStore } from './postgres/postgres-store.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

export type OpenStoreOptions =
  | {
      readonly kind: 'memory';
      readonly migrations: readonly Migration[];
      readonly database?: MemoryDatabase;
    }
  | {
      readonly kind: 'sqlite';
      readonly file: string;
      readonly migrations: readonly Migration[];
      readonly busyTimeoutMs?: number;
    }
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
