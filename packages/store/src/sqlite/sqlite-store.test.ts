import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defineCollection } from '../collection.ts';
import { UniqueViolationError } from '../errors.ts';
import type { Migration } from '../migration.ts';
import type { Store, Where } from '../store.ts';
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

  it('keeps a bounded cache of prepared statements, a limit being part of their text', async () => {
    const store = await openSqliteStore({
      file: join(root, 'statements', 'att.sqlite'),
      migrations,
    });
    try {
      await store.transaction(async (tx) => {
        for (let seq = 1; seq <= 3; seq++) await tx.insert(entries, { id: `e${seq}`, seq });
      });
      const prepare = vi.spyOn(Database.prototype, 'prepare');
      const firstWithLimit = (limit: number) =>
        store.transaction((tx) => tx.find(entries, {}, { orderBy: 'seq', limit }));
      try {
        expect(await firstWithLimit(2)).toEqual([
          { id: 'e1', seq: 1 },
          { id: 'e2', seq: 2 },
        ]);
        expect(await firstWithLimit(0)).toEqual([]);
        await firstWithLimit(2);
        expect(prepare).toHaveBeenCalledTimes(2);
        // Far more page sizes than the cache holds, the limit of 2 in use all along: each new
        // size is prepared once, and the limit of 2 never again.
        prepare.mockClear();
        for (let limit = 3; limit <= 1_000; limit++) {
          expect(await firstWithLimit(limit)).toHaveLength(3);
          if (limit % 50 === 0) await firstWithLimit(2);
        }
        expect(prepare).toHaveBeenCalledTimes(998);
        // The least recently used gave way to the newer ones, and is prepared again.
        prepare.mockClear();
        expect(await firstWithLimit(0)).toEqual([]);
        expect(prepare).toHaveBeenCalledTimes(1);
      } finally {
        prepare.mockRestore();
      }
    } finally {
      await store.close();
    }
  });

  it('sets only the key columns whose values changed when it updates a document', async () => {
    const file = await createDatabase('changed-columns');
    const store = await openSqliteStore({ file, migrations });
    const prepare = vi.spyOn(Database.prototype, 'prepare');
    const updates = () =>
      prepare.mock.calls.map(([sql]) => sql).filter((sql) => sql.startsWith('UPDATE "charges"'));
    try {
      await store.transaction((tx) =>
        tx.insert(charges, { id: 'ch_2', tenantId: 'dev', idempotencyKey: 'k2', amountMinor: 1 }),
      );
      // Only the document changes: no index is touched.
      await store.transaction((tx) =>
        tx.update(charges, { id: 'ch_1', tenantId: 'dev', idempotencyKey: 'k1', amountMinor: 700 }),
      );
      // One key column changes: it alone is set, and its unique index still holds.
      await store.transaction((tx) =>
        tx.update(charges, { id: 'ch_1', tenantId: 'dev', idempotencyKey: 'k9', amountMinor: 700 }),
      );
      await expect(
        store.transaction((tx) =>
          tx.update(charges, { id: 'ch_2', tenantId: 'dev', idempotencyKey: 'k9', amountMinor: 1 }),
        ),
      ).rejects.toBeInstanceOf(UniqueViolationError);
      await expect(
        store.transaction((tx) =>
          tx.update(charges, { id: 'ch_9', tenantId: 'dev', idempotencyKey: 'k', amountMinor: 1 }),
        ),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
      expect(updates()).toEqual([
        'UPDATE "charges" SET "doc" = ? WHERE "id" = ?',
        'UPDATE "charges" SET "doc" = ?, "idempotencyKey" = ? WHERE "id" = ?',
      ]);
      // A new set of changed columns is prepared once; one seen before is not prepared again.
      await store.transaction(async (tx) => {
        await tx.update(charges, {
          id: 'ch_2',
          tenantId: 'acme',
          idempotencyKey: 'k2',
          amountMinor: 2,
        });
        await tx.update(charges, {
          id: 'ch_2',
          tenantId: 'acme',
          idempotencyKey: 'k2',
          amountMinor: 3,
        });
      });
      expect(updates()).toHaveLength(3);
      expect(await store.transaction((tx) => tx.find(charges, { tenantId: 'acme' }))).toEqual([
        { id: 'ch_2', tenantId: 'acme', idempotencyKey: 'k2', amountMinor: 3 },
      ]);
    } finally {
      prepare.mockRestore();
      await store.close();
    }
    expect(
      inspect(file, (db) =>
        db.prepare('SELECT "id", "tenantId", "idempotencyKey" FROM "charges" ORDER BY "id"').all(),
      ),
    ).toEqual([
      { id: 'ch_1', tenantId: 'dev', idempotencyKey: 'k9' },
      { id: 'ch_2', tenantId: 'acme', idempotencyKey: 'k2' },
    ]);
  });

  it('finds by every key column after updates take values to and from null, numbers and booleans', async () => {
    interface Device {
      readonly id: string;
      readonly owner?: string | null;
      readonly rank: number;
      readonly online: boolean;
    }
    const devices = defineCollection<Device>({
      name: 'devices',
      primaryKey: 'id',
      indexed: ['owner', 'rank', 'online'],
    });
    const store = await openSqliteStore({
      file: join(root, 'key-values', 'att.sqlite'),
      migrations: [{ version: 1, name: 'devices', collections: [devices] }],
    });
    const ids = async (where: Where<Device>) =>
      (await store.transaction((tx) => tx.find(devices, where))).map((d) => d.id);
    try {
      await store.transaction((tx) => tx.insert(devices, { id: 'd1', rank: 1, online: false }));
      const steps: Device[] = [
        { id: 'd1', owner: 'ada', rank: 1, online: false },
        { id: 'd1', owner: 'ada', rank: 2.5, online: true },
        { id: 'd1', owner: null, rank: 2.5, online: true },
        { id: 'd1', rank: 9_007_199_254_740_991, online: false },
        { id: 'd1', owner: 'bob', rank: -1, online: false },
      ];
      for (const step of steps) {
        await store.transaction((tx) => tx.update(devices, step));
        const others = { owner: 'nobody', rank: 0, online: !step.online };
        expect(await ids({ owner: step.owner ?? null })).toEqual(['d1']);
        expect(await ids({ rank: step.rank })).toEqual(['d1']);
        expect(await ids({ online: step.online })).toEqual(['d1']);
        expect(await ids({ owner: others.owner })).toEqual([]);
        expect(await ids({ rank: others.rank })).toEqual([]);
        expect(await ids({ online: others.online })).toEqual([]);
      }
    } finally {
      await store.close();
    }
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

    /**
     * Opens a store with a second, read-only connection beside it and runs `test` with both:
     * `visible(id)` is 1 once the insert of that charge is committed, else 0.
     */
    async function withReader(
      dir: string,
      test: (store: Store, visible: (id: string) => unknown) => Promise<void>,
    ): Promise<void> {
      const file = join(root, dir, 'att.sqlite');
      const store = await openSqliteStore({ file, migrations });
      const reader = new Database(file, { readonly: true });
      const count = reader.prepare('SELECT count(*) FROM charges WHERE id = ?').pluck();
      try {
        await test(store, (id) => count.get(id));
      } finally {
        reader.close();
        await store.close();
      }
    }

    it('reports each concurrent transaction only once a second connection can read its write', async () => {
      await withReader('group-visible', async (store, visible) => {
        const seenOnResolve = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            store
              .transaction((tx) => tx.insert(charges, charge(`ch_${i}`)))
              .then(() => visible(`ch_${i}`)),
          ),
        );
        expect(seenOnResolve).toEqual(Array.from({ length: 40 }, () => 1));
      });
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

    /** Counts turns of the event loop (check phases) until `stop` is called. */
    function turnCounter(): { readonly turns: () => number; readonly stop: () => void } {
      let turns = 0;
      let stopped = false;
      const tick = () => {
        if (stopped) return;
        turns++;
        setImmediate(tick);
      };
      setImmediate(tick);
      return { turns: () => turns, stop: () => (stopped = true) };
    }

    it('commits the transactions a commit lets go on in the same turn, each before it resolves', async () => {
      await withReader('group-chained', async (store, visible) => {
        const counter = turnCounter();
        try {
          // Three requests, each running three steps, a transaction each, one after the other.
          const seen = await Promise.all(
            ['a', 'b', 'c'].map(async (request) => {
              const visibleOnResolve: unknown[] = [];
              for (const step of [1, 2, 3]) {
                const id = `ch_${request}${step}`;
                await store.transaction((tx) => tx.insert(charges, charge(id)));
                visibleOnResolve.push(visible(id));
              }
              return visibleOnResolve;
            }),
          );
          expect(seen).toEqual([
            [1, 1, 1],
            [1, 1, 1],
            [1, 1, 1],
          ]);
          // One batch per step, all in the turn of the first commit; unchained, three turns.
          expect(counter.turns()).toBeLessThanOrEqual(1);
        } finally {
          counter.stop();
        }
      });
    });

    it('commits a batch whose chained commit came while a transaction waited on a timer once that one ends', async () => {
      await withReader('group-chain-waiting', async (store, visible) => {
        const seen = await Promise.all([
          (async () => {
            await store.transaction((tx) => tx.insert(charges, charge('ch_a1')));
            // Runs in the batch the first commit chains, and holds it past the chained tick.
            await store.transaction(async (tx) => {
              await tx.insert(charges, charge('ch_a2'));
              await new Promise((resolve) => setTimeout(resolve, 20));
            });
            return visible('ch_a2');
          })(),
          (async () => {
            await store.transaction((tx) => tx.insert(charges, charge('ch_b1')));
            await store.transaction((tx) => tx.insert(charges, charge('ch_b2')));
            return visible('ch_b2');
          })(),
        ]);
        expect(seen).toEqual([1, 1]);
      });
    });

    it('forgets a commit that came due while the first transaction of its batch ran, if that one failed', async () => {
      await withReader('group-chain-dropped', async (store, visible) => {
        await store.transaction((tx) => tx.insert(charges, charge('ch_before')));
        // First of the batch the commit above chains; the chained commit finds it running.
        await expect(
          store.transaction(async (tx) => {
            await tx.insert(charges, charge('ch_dropped'));
            await new Promise((resolve) => setTimeout(resolve, 20));
            throw new Error('refused after waiting');
          }),
        ).rejects.toThrow('refused after waiting');
        // Two transactions of the next batch share its commit: the second's row is committed
        // when the first resolves. Had the commit stayed due, the first would commit alone.
        let secondVisibleOnFirst: unknown;
        await Promise.all([
          store
            .transaction((tx) => tx.insert(charges, charge('ch_first')))
            .then(() => (secondVisibleOnFirst = visible('ch_second'))),
          store.transaction((tx) => tx.insert(charges, charge('ch_second'))),
        ]);
        expect(secondVisibleOnFirst).toBe(1);
        expect(visible('ch_dropped')).toBe(0);
      });
    });

    it('still lets the event loop turn during a long run of transactions, one after the other', async () => {
      const file = join(root, 'group-chain-bounded', 'att.sqlite');
      const store = await openSqliteStore({ file, migrations });
      const counter = turnCounter();
      try {
        for (let i = 0; i < 40; i++) {
          await store.transaction((tx) => tx.insert(charges, charge(`ch_${i}`)));
        }
        // One commit in a check phase, then at most eight chained: five turns for forty
        // transactions, where each would take a turn of its own unchained.
        expect(counter.turns()).toBeGreaterThanOrEqual(4);
        expect(counter.turns()).toBeLessThanOrEqual(6);
      } finally {
        counter.stop();
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
