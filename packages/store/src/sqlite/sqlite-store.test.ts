import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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
interface Entry {
  readonly id: string;
  readonly seq: number;
}

const entries = defineCollection<Entry>({ name: 'entries', primaryKey: 'id', unique: [['seq']] });
const migrations: readonly Migration[] = [
  { version: 1, name: 'charges', collections: [charges] },
  {
    version: 2,
    name: 'entries',
    collections: [entries],
    sequences: [{ collection: 'entries', field: 'seq' }],
  },
];

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
    expect(history).toEqual([
      { version: 1, name: 'charges' },
      { version: 2, name: 'entries' },
    ]);
    const specs = inspect(file, (db) =>
      db.prepare('SELECT name FROM schema_collections').pluck().all(),
    );
    expect(specs).toEqual(['charges', 'entries']);
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

  it('drops a dropped index and its column from the table, so writes no longer maintain them', async () => {
    const file = await createDatabase('dropped-index');
    const store = await openSqliteStore({
      file,
      migrations: [
        ...migrations,
        {
          version: 3,
          name: 'no tenant index',
          dropIndexes: [{ collection: 'charges', indexed: ['tenantId'] }],
        },
      ],
    });
    await store.close();
    const indexes = inspect(file, (db) =>
      (db.pragma('index_list(charges)') as { name: string }[]).map(({ name }) => name),
    );
    expect(indexes).not.toContain('ix_charges__tenantId');
    // tenantId is still part of a unique constraint, so its column stays.
    expect(indexes).toContain('ux_charges__idempotencyKey__tenantId');
    const columns = inspect(file, (db) =>
      (db.pragma('table_info(charges)') as { name: string }[]).map(({ name }) => name),
    );
    expect(columns).toContain('tenantId');
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

    it('rolls back the first transaction of a batch alone, keeping those that follow it', async () => {
      const file = join(root, 'group-first', 'att.sqlite');
      const store = await openSqliteStore({ file, migrations });
      try {
        const outcomes = await Promise.allSettled([
          store.transaction(async (tx) => {
            await tx.insert(charges, charge('ch_first'));
            throw new Error('refused after writing');
          }),
          store.transaction((tx) => tx.insert(charges, charge('ch_second'))),
          store.transaction((tx) => tx.insert(charges, charge('ch_third'))),
        ]);
        expect(outcomes.map((outcome) => outcome.status)).toEqual([
          'rejected',
          'fulfilled',
          'fulfilled',
        ]);
      } finally {
        await store.close();
      }
      const kept = inspect(file, (db) =>
        db.prepare('SELECT id FROM charges ORDER BY id').pluck().all(),
      );
      expect(kept).toEqual(['ch_second', 'ch_third']);
    });

    it('numbers from sequences across a shared commit: no value twice, and the row keeps the last', async () => {
      const file = join(root, 'group-sequences', 'att.sqlite');
      const numbered = (
        store: Awaited<ReturnType<typeof openSqliteStore>>,
        id: string,
        fail = false,
      ) =>
        store.transaction(async (tx) => {
          const seq = await tx.nextInSequence(entries, 'seq');
          await tx.insert(entries, { id, seq });
          if (fail) throw new Error('rolled back after taking a number');
          return seq;
        });
      const store = await openSqliteStore({ file, migrations });
      let taken: PromiseSettledResult<number>[];
      try {
        taken = await Promise.allSettled([
          numbered(store, 'a'),
          numbered(store, 'b', true),
          numbered(store, 'c'),
          numbered(store, 'd'),
        ]);
      } finally {
        await store.close();
      }
      // The rolled-back transaction's number is a gap, never given again.
      expect(taken.map((t) => (t.status === 'fulfilled' ? t.value : 'rolled back'))).toEqual([
        1,
        'rolled back',
        3,
        4,
      ]);
      const reopened = await openSqliteStore({ file, migrations });
      try {
        expect(await numbered(reopened, 'e')).toBe(5);
      } finally {
        await reopened.close();
      }
      expect(
        inspect(file, (db) => db.prepare('SELECT seq FROM entries ORDER BY seq').pluck().all()),
      ).toEqual([1, 3, 4, 5]);
    });

    it('forgets the numbers of a write transaction rolled back as a whole', async () => {
      const file = join(root, 'group-sequences-first', 'att.sqlite');
      const store = await openSqliteStore({ file, migrations });
      try {
        const first = store.transaction(async (tx) => {
          await tx.nextInSequence(entries, 'seq');
          throw new Error('rolled back after taking a number');
        });
        await expect(first).rejects.toThrow('rolled back after taking a number');
        // Nothing that used 1 was kept, so 1 may be given again.
        expect(await store.transaction(async (tx) => tx.nextInSequence(entries, 'seq'))).toBe(1);
      } finally {
        await store.close();
      }
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

  describe('checkpoints on a worker thread', () => {
    /** Rows of `charges` in the database file alone, read from a copy without its WAL. */
    function rowsInDatabaseFile(file: string, name: string): number {
      const copy = join(root, `${name}-file-only.sqlite`);
      copyFileSync(file, copy);
      try {
        return inspect(copy, (db) => {
          const table = db
            .prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'charges'")
            .pluck()
            .get() as number;
          return table === 0
            ? 0
            : (db.prepare('SELECT count(*) FROM charges').pluck().get() as number);
        });
      } finally {
        rmSync(copy, { force: true });
      }
    }

    async function commitOneByOne(name: string, intervalMs: number) {
      const file = join(root, name, 'att.sqlite');
      // The committing connection's own checkpoint is out of reach.
      const store = await openSqliteStore({
        file,
        migrations,
        walCheckpointPages: 1_000_000,
        walCheckpointIntervalMs: intervalMs,
      });
      for (let i = 0; i < 40; i++) {
        await store.transaction((tx) =>
          tx.insert(charges, {
            id: `ch_${i}`,
            tenantId: 'dev',
            idempotencyKey: `k${i}`,
            amountMinor: 1,
          }),
        );
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      return { file, store };
    }

    it('copies committed transactions into the database file while commits come', async () => {
      const { file, store } = await commitOneByOne('worker-checkpoints', 0);
      try {
        await vi.waitFor(() => expect(rowsInDatabaseFile(file, 'worker')).toBeGreaterThan(0), {
          timeout: 10_000,
          interval: 50,
        });
      } finally {
        await store.close();
      }
      // Closing ended the worker's connection too: the file opens and holds every commit.
      expect(inspect(file, (db) => db.prepare('SELECT count(*) FROM charges').pluck().get())).toBe(
        40,
      );
    });

    /** The largest the WAL file grew while 20 clients committed `each` transactions apiece. */
    async function walGrowth(name: string, walResetPages: number, each: number) {
      const file = join(root, name, 'att.sqlite');
      const store = await openSqliteStore({
        file,
        migrations,
        // The committing connection's own checkpoint is out of reach: only the worker's count.
        walCheckpointPages: 1_000_000,
        walCheckpointIntervalMs: 0,
        walResetPages,
      });
      let largest = 0;
      let restarts = 0;
      try {
        // Commits back to back, so that the worker never finds every frame copied at the moment
        // a write transaction begins (when SQLite would start the WAL over by itself).
        await Promise.all(
          Array.from({ length: 20 }, async (_, client) => {
            for (let i = 0; i < each; i++) {
              await store.transaction((tx) =>
                tx.insert(charges, {
                  id: `ch_${client}_${String(i).padStart(6, '0')}`,
                  tenantId: 'dev',
                  idempotencyKey: `k${client}_${i}`,
                  amountMinor: i,
                }),
              );
              largest = Math.max(largest, statSync(`${file}-wal`).size);
            }
          }),
        );
        // The WAL header's checkpoint sequence number: how often the WAL was started over.
        restarts = readFileSync(`${file}-wal`).readUInt32BE(12);
      } finally {
        await store.close();
      }
      const rows = inspect(file, (db) => db.prepare('SELECT count(*) FROM charges').pluck().get());
      return { largest, restarts, rows };
    }

    it('starts the WAL over from the worker once it holds walResetPages', async () => {
      const each = 300;
      const reset = await walGrowth('wal-reset', 50, each);
      const never = await walGrowth('wal-no-reset', 0, each);
      // Every commit kept, either way.
      expect(reset.rows).toBe(20 * each);
      expect(never.rows).toBe(20 * each);
      // The worker started the WAL over, more than once; left to itself, SQLite rarely finds
      // a moment to (20 clients leave none), and the WAL keeps growing.
      expect(reset.restarts).toBeGreaterThan(1);
      expect(reset.largest).toBeLessThan(never.largest);
    }, 60_000);

    it('keeps a process alive while writers are held back for the last pass', () => {
      // A script whose only work is its transactions: were nothing to keep the process alive
      // while the worker copies the last of the WAL (its thread does not), Node would end it
      // with its transactions unsettled (exit 13).
      const script = join(root, 'held-writers.mts');
      writeFileSync(
        script,
        `import { join } from 'node:path';
import { defineCollection, openSqliteStore } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, '..', 'index.ts')).href)};
const rows = defineCollection({ name: 'rows', primaryKey: 'id' });
const store = await openSqliteStore({
  file: join(${JSON.stringify(root)}, 'held-writers', 'att.sqlite'),
  migrations: [{ version: 1, name: 'rows', collections: [rows] }],
  walResetPages: 1,
  walCheckpointIntervalMs: 0,
});
await Promise.all(Array.from({ length: 20 }, async (_, client) => {
  for (let i = 0; i < 200; i++) {
    await store.transaction((tx) => tx.insert(rows, { id: client + '_' + i, n: i }));
  }
}));
await store.close();
console.log('committed all');
`,
      );
      const child = spawnSync(process.execPath, ['--import', 'tsx', script], {
        cwd: join(import.meta.dirname, '..', '..'),
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect({ status: child.status, stdout: child.stdout.trim() }).toEqual({
        status: 0,
        stdout: 'committed all',
      });
    }, 60_000);

    it('refuses WAL sizes that are not page counts, and a reset at or past the fallback', async () => {
      const open = (options: { walCheckpointPages?: number; walResetPages?: number }) =>
        openSqliteStore({ file: join(root, 'wal-options', 'att.sqlite'), migrations, ...options });
      await expect(open({ walResetPages: -1 })).rejects.toThrow(
        'walResetPages must be a whole number of pages, 0 or more; got -1',
      );
      await expect(open({ walCheckpointPages: 1.5 })).rejects.toThrow(
        'walCheckpointPages must be a whole number of pages, 0 or more; got 1.5',
      );
      await expect(open({ walCheckpointPages: 1000, walResetPages: 1000 })).rejects.toThrow(
        'walResetPages (1000) must be below walCheckpointPages (1000)',
      );
      const store = await open({ walCheckpointPages: 1000, walResetPages: 0 });
      await store.close();
    });

    it('leaves the WAL alone until the interval has passed', async () => {
      const { file, store } = await commitOneByOne('no-worker-checkpoints', 3_600_000);
      try {
        expect(rowsInDatabaseFile(file, 'idle')).toBe(0);
      } finally {
        await store.close();
      }
    });
  });
});
