import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineCollection } from '../collection.ts';
import type { Migration } from '../migration.ts';
import { openSqliteStore } from './sqlite-store.ts';

interface Charge {
  readonly id: string;
  readonly tenantId: string;
  readonly idempotencyKey: string;
  readonly amountMinor: number;
}

const charges = defineCollection<Charge>({
  name: 'charges',
  primaryKey: 'id',
  indexed: ['tenantId'],
  unique: [['tenantId', 'idempotencyKey']],
});
const migrations: readonly Migration[] = [{ version: 1, name: 'charges', collections: [charges] }];

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'esimlab-sqlite-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

async function createDatabase(name: string): Promise<string> {
  const file = join(root, name, 'att.sqlite');
  const store = await openSqliteStore({ file, migrations });
  await store.transaction((tx) =>
    tx.insert(charges, { id: 'ch_1', tenantId: 'dev', idempotencyKey: 'k1', amountMinor: 500 }),
  );
  await store.close();
  return file;
}

/** A second, raw connection: what the database itself holds and enforces. */
function inspect<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    return read(db);
  } finally {
    db.close();
  }
}

describe('SQLite store', () => {
  it('creates missing parent directories and keeps the database in WAL mode', async () => {
    const file = await createDatabase('nested/carriers');
    expect(existsSync(file)).toBe(true);
    expect(inspect(file, (db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
  });

  it('records applied migrations and collection specs in the database', async () => {
    const file = await createDatabase('history');
    const history = inspect(file, (db) =>
      db.prepare('SELECT version, name FROM schema_migrations').all(),
    );
    expect(history).toEqual([{ version: 1, name: 'charges' }]);
    const specs = inspect(file, (db) =>
      db.prepare('SELECT name FROM schema_collections').pluck().all(),
    );
    expect(specs).toEqual(['charges']);
  });

  it('enforces unique constraints in SQLite itself, not only in the adapter', async () => {
    const file = await createDatabase('enforced');
    const indexes = inspect(file, (db) =>
      (db.pragma('index_list(charges)') as { name: string; unique: number }[]).map(
        ({ name, unique }) => ({ name, unique }),
      ),
    );
    expect(indexes).toEqual(
      expect.arrayContaining([
        { name: 'ux_charges__idempotencyKey__tenantId', unique: 1 },
        { name: 'ix_charges__tenantId', unique: 0 },
      ]),
    );
    const duplicate = () =>
      inspect(file, (db) =>
        db
          .prepare(
            `INSERT INTO charges (id, doc, tenantId, idempotencyKey) VALUES ('ch_2', '{}', 'dev', 'k1')`,
          )
          .run(),
      );
    expect(duplicate).toThrow(/UNIQUE constraint failed/);
  });

  it('answers equality filters from an index', async () => {
    const file = await createDatabase('plan');
    const plan = inspect(file, (db) =>
      db
        .prepare(`EXPLAIN QUERY PLAN SELECT doc FROM charges WHERE "tenantId" = ? ORDER BY "id"`)
        .all('dev'),
    ) as { detail: string }[];
    expect(plan.map((step) => step.detail).join('\n')).toMatch(
      /USING (COVERING )?INDEX \w+ \(tenantId=\?\)/,
    );
  });
});
