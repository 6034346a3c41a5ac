import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineCollection } from '../collection.ts';
import { UniqueViolationError } from '../errors.ts';
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

  describe('group commit', () => {
    const charge = (id: string, key = id): Charge => ({
      id,
      tenantId: 'dev',
      idempotencyKey: key,
      amountMinor: 100,
    });

    it('reports each concurrent transaction only once a second connection can read its write', async () => {
      const file = join(root, 'group-visible', 'att.sqlite');
      const store = await openSqliteStore({ file, migrations });
      const reader = new Database(file, { readonly: true });
      const visible = reader.prepare('SELECT count(*) FROM charges WHERE id = ?').pluck();
      try {
        const seenOnResolve = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            store
              .transaction((tx) => tx.insert(charges, charge(`ch_${i}`)))
              .then(() => visible.get(`ch_${i}`)),
          ),
        );
        expect(seenOnResolve).toEqual(Array.from({ length: 40 }, () => 1));
      } finally {
        reader.close();
        await store.close();
      }
    });

    it('rolls back a transaction that throws alone, keeping those committed with it', async () => {
      const file = join(root, 'group-rollback', 'att.sqlite');
      const store = await openSqliteStore({ file, migrations });
      try {
        const outcomes = await Promise.allSettled([
          store.transaction((tx) => tx.insert(charges, charge('ch_a'))),
          store.transaction(async (tx) => {
            await tx.insert(charges, charge('ch_b'));
            throw new Error('refused after writing');
          }),
          store.transaction((tx) => tx.insert(charges, charge('ch_c', 'ch_a'))),
          store.transaction((tx) => tx.insert(charges, charge('ch_d'))),
        ]);
        expect(outcomes.map((outcome) => outcome.status)).toEqual([
          'fulfilled',
          'rejected',
          'rejected',
          'fulfilled',
        ]);
        expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(
          new Error('refused after writing'),
        );
        // The duplicate key is refused because of a write of the same batch.
        expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(UniqueViolationError);
      } finally {
        await store.close();
      }
      const kept = inspect(file, (db) =>
        db.prepare('SELECT id FROM charges ORDER BY id').pluck().all(),
      );
      expect(kept).toEqual(['ch_a', 'ch_d']);
    });

    it('commits what is still open when the store closes', async () => {
      const file = join(root, 'group-close', 'att.sqlite');
      const store = await openSqliteStore({ file, migrations });
      const writes = Array.from({ length: 10 }, (_, i) =>
        store.transaction((tx) => tx.insert(charges, charge(`ch_${i}`))),
      );
      await store.close();
      await Promise.all(writes);
      expect(inspect(file, (db) => db.prepare('SELECT count(*) FROM charges').pluck().get())).toBe(
        10,
      );
    });

    it('commits each transaction by itself with maxTransactionsPerCommit 1', async () => {
      const file = join(root, 'group-one', 'att.sqlite');
      const store = await openSqliteStore({ file, migrations, maxTransactionsPerCommit: 1 });
      const reader = new Database(file, { readonly: true });
      const count = reader.prepare('SELECT count(*) FROM charges').pluck();
      try {
        // Each commit happens as its transaction ends, before the next one starts.
        const seen: unknown[] = [];
        await Promise.all(
          Array.from({ length: 5 }, (_, i) =>
            store.transaction(async (tx) => {
              seen.push(count.get());
              await tx.insert(charges, charge(`ch_${i}`));
            }),
          ),
        );
        expect(seen).toEqual([0, 1, 2, 3, 4]);
      } finally {
        reader.close();
        await store.close();
      }
    });
  });
});
