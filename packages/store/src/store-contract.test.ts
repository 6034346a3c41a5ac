import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  dropTestSchemas,
  newTestSchema,
  requirePostgres,
  skipPostgres,
  testPostgresUrl,
} from '@esimlab/test-utils/postgres';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  cursorAfter,
  defineCollection,
  type FindAfter,
  InvalidDocumentError,
  InvalidQueryError,
  InvalidSchemaError,
  MemoryDatabase,
  type Migration,
  MigrationFailedError,
  MigrationHistoryError,
  NestedTransactionError,
  NotFoundError,
  openStore,
  type ScalarValue,
  SchemaMismatchError,
  SchemaTooNewError,
  type SequenceSpec,
  type Store,
  StoreClosedError,
  type StoreKind,
  type StoreTx,
  TransactionEndedError,
  UndeclaredSequenceError,
  UniqueViolationError,
  type Where,
} from './index.ts';

interface Esim {
  readonly iccid: string;
  readonly tenantId: string;
  readonly clientReference?: string | null;
  readonly status: 'active' | 'expired';
  readonly createdAt: string;
  readonly dataBytes: number;
  readonly autoRenew?: boolean;
  readonly subscriber?: { readonly name: string };
}

interface Charge {
  readonly id: string;
  readonly idempotencyKey: string;
  readonly amountMinor: number;
}

interface Counter {
  readonly id: string;
  readonly value: number;
}

/** Numbered by a sequence, as the carrier numbers its ledger entries. */
interface LedgerEntry {
  readonly id: string;
  readonly seq: number;
}

/** For pagination properties: `rank` holds every kind of scalar, or is absent. */
interface Entry {
  readonly id: string;
  readonly tenantId: string;
  readonly rank?: ScalarValue;
}

const esims = defineCollection<Esim>({
  name: 'esims',
  primaryKey: 'iccid',
  indexed: ['tenantId', 'status', 'createdAt', 'autoRenew'],
  unique: [['tenantId', 'clientReference']],
});
const charges = defineCollection<Charge>({
  name: 'charges',
  primaryKey: 'id',
  unique: [['idempotencyKey']],
});
const counters = defineCollection<Counter>({ name: 'counters', primaryKey: 'id' });
const entries = defineCollection<Entry>({
  name: 'entries',
  primaryKey: 'id',
  indexed: ['tenantId', 'rank'],
});

const ledger = defineCollection<LedgerEntry>({
  name: 'ledger',
  primaryKey: 'id',
  unique: [['seq']],
});

const migrations: readonly Migration[] = [
  { version: 1, name: 'initial', collections: [esims, charges, counters] },
  { version: 2, name: 'entries', collections: [entries] },
];

const ledgerSequence = { collection: 'ledger', field: 'seq' } as const;
const sequenced: readonly Migration[] = [
  ...migrations,
  { version: 3, name: 'ledger', collections: [ledger], sequences: [ledgerSequence] },
];

function expectIncreasing(values: readonly number[]): void {
  for (const [index, value] of values.entries()) {
    if (index > 0) expect(value).toBeGreaterThan(values[index - 1] as number);
  }
}

function esim(iccid: string, overrides: Partial<Esim> = {}): Esim {
  return {
    iccid,
    tenantId: 'dev',
    status: 'active',
    createdAt: '2026-03-07T15:00:00.000Z',
    dataBytes: 1_000_000,
    ...overrides,
  };
}

/** Properties that do I/O run 100 times unless FC_NUM_RUNS asks for fewer. */
function ioRuns(): number {
  return Math.min(100, fc.readConfigureGlobal().numRuns ?? 100);
}

/** A ceiling for those properties: 100 runs of ~60 round trips to a server on a busy machine. */
const ioPropertyTimeoutMs = 30_000;

const scalarArbitrary: fc.Arbitrary<ScalarValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -3, max: 3 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom('a', 'B', 'é', '\uffff', '😀', '\u0000', 'a\u0000', '\u0001'),
  fc.string({ unit: 'grapheme', maxLength: 3 }),
);

const entriesArbitrary = fc.uniqueArray(
  fc.record(
    {
      id: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }),
      tenantId: fc.constantFrom('t1', 't2'),
      rank: scalarArbitrary,
    },
    { requiredKeys: ['id', 'tenantId'] },
  ),
  { selector: (doc) => doc.id, maxLength: 30 },
);

/** Documents rewritten after the insert, each picked by position: its key fields may change. */
const rewritesArbitrary = fc.array(
  fc.record({
    at: fc.nat(),
    tenantId: fc.constantFrom('t1', 't2'),
    rank: fc.option(scalarArbitrary, { nil: undefined }),
  }),
  { maxLength: 10 },
);

const queryArbitrary = fc.record({
  tenantId: fc.option(fc.constantFrom('t1', 't2'), { nil: undefined }),
  rank: fc.option(scalarArbitrary, { nil: undefined }),
  orderBy: fc.constantFrom('id', 'rank', 'tenantId'),
  direction: fc.constantFrom('asc', 'desc'),
  pageSize: fc.integer({ min: 1, max: 7 }),
  limited: fc.boolean(),
});

const afterArbitrary: fc.Arbitrary<FindAfter | undefined> = fc.option(
  fc.oneof(
    scalarArbitrary,
    fc.record({ value: scalarArbitrary, id: fc.string({ unit: 'grapheme', maxLength: 3 }) }),
  ),
  { nil: undefined },
);

let tmpRoot: string;
beforeAll(() => {
  tmpRoot = mkdtempSync(join(tmpdir(), 'esimlab-store-'));
});
afterAll(() => {
  rmSync(tmpRoot, { recursive: true, force: true });
});

const openStores: Store[] = [];
afterEach(async () => {
  await Promise.allSettled(openStores.splice(0).map((store) => store.close()));
  await dropTestSchemas();
});

/** One database that can be opened again after closing, as a restarted carrier would. */
interface Database {
  open(migrationList?: readonly Migration[]): Promise<Store>;
}

function newDatabase(kind: StoreKind): Database {
  const memory = new MemoryDatabase();
  const file = join(tmpRoot, randomUUID(), 'carrier.sqlite');
  const schema = kind === 'postgres' ? newTestSchema() : '';
  const openKind = (migrationList: readonly Migration[]): Promise<Store> => {
    switch (kind) {
      case 'memory':
        return openStore({ kind, database: memory, migrations: migrationList });
      case 'sqlite':
        return openStore({ kind, file, migrations: migrationList });
      case 'postgres':
        requirePostgres();
        return openStore({ kind, url: testPostgresUrl, schema, migrations: migrationList });
    }
  };
  return {
    async open(migrationList = migrations) {
      const store = await openKind(migrationList);
      openStores.push(store);
      return store;
    },
  };
}

async function ids<T>(
  store: Store,
  read: (tx: StoreTx) => Promise<readonly T[]>,
  key: (doc: T) => string,
): Promise<string[]> {
  return (await store.transaction(read)).map(key);
}

for (const kind of ['memory', 'sqlite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && skipPostgres)(`${kind} store`, () => {
    async function open(): Promise<Store> {
      return newDatabase(kind).open();
    }

    describe('documents', () => {
      it('inserts, reads, replaces and deletes a document', async () => {
        const store = await open();
        expect(store.kind).toBe(kind);
        const original = esim('8901', { subscriber: { name: 'Ada' }, autoRenew: true });
        await store.transaction((tx) => tx.insert(esims, original));
        expect(await store.transaction((tx) => tx.get(esims, '8901'))).toEqual(original);

        const replaced = { ...original, status: 'expired' as const };
        await store.transaction((tx) => tx.update(esims, replaced));
        expect(await store.transaction((tx) => tx.get(esims, '8901'))).toEqual(replaced);

        expect(await store.transaction((tx) => tx.delete(esims, '8901'))).toBe(true);
        expect(await store.transaction((tx) => tx.delete(esims, '8901'))).toBe(false);
        expect(await store.transaction((tx) => tx.get(esims, '8901'))).toBeUndefined();
      });

      it('hands out copies, so mutating a read document changes nothing stored', async () => {
        const store = await open();
        await store.transaction((tx) =>
          tx.insert(esims, esim('8901', { subscriber: { name: 'Ada' } })),
        );
        const read = (await store.transaction((tx) => tx.get(esims, '8901'))) as {
          subscriber: { name: string };
        };
        read.subscriber.name = 'Eve';
        expect((await store.transaction((tx) => tx.get(esims, '8901')))?.subscriber?.name).toBe(
          'Ada',
        );
      });

      it('returns a document exactly as written: key order and control characters kept', async () => {
        const store = await open();
        const written = {
          subscriber: { name: 'Ada\u0000Lovelace\u0001' },
          iccid: '89\u00000',
          tenantId: 'dev',
          createdAt: '2026-03-07T15:00:00.000Z',
          status: 'active',
          dataBytes: 1e21,
        } as Esim;
        await store.transaction((tx) => tx.insert(esims, written));
        const read = await store.transaction((tx) => tx.get(esims, '89\u00000'));
        expect(JSON.stringify(read)).toBe(JSON.stringify(written));
      });

      it('throws NotFoundError when updating an absent document, and writes nothing', async () => {
        const store = await open();
        await expect(
          store.transaction((tx) => tx.update(esims, esim('8901'))),
        ).rejects.toMatchObject({
          constructor: NotFoundError,
          code: 'not_found',
          collection: 'esims',
          id: '8901',
        });
        expect(await store.transaction((tx) => tx.count(esims, {}))).toBe(0);
      });

      it('upserts: inserts when absent, replaces when present', async () => {
        const store = await open();
        await store.transaction((tx) => tx.upsert(esims, esim('8901', { dataBytes: 1 })));
        await store.transaction((tx) => tx.upsert(esims, esim('8901', { dataBytes: 2 })));
        expect(await store.transaction((tx) => tx.find(esims, {}))).toEqual([
          esim('8901', { dataBytes: 2 }),
        ]);
      });

      it('counts and deletes only the documents a filter matches', async () => {
        const store = await open();
        await store.transaction(async (tx) => {
          await tx.insert(esims, esim('1', { tenantId: 'a', status: 'active' }));
          await tx.insert(esims, esim('2', { tenantId: 'a', status: 'expired' }));
          await tx.insert(esims, esim('3', { tenantId: 'b', status: 'expired' }));
        });
        expect(await store.transaction((tx) => tx.count(esims, { status: 'expired' }))).toBe(2);
        expect(
          await store.transaction((tx) => tx.count(esims, { tenantId: 'a', status: 'expired' })),
        ).toBe(1);
        expect(await store.transaction((tx) => tx.deleteWhere(esims, { tenantId: 'a' }))).toBe(2);
        expect(
          await ids(
            store,
            (tx) => tx.find(esims, {}),
            (doc) => doc.iccid,
          ),
        ).toEqual(['3']);
      });

      it('matches booleans and null, where null also matches an absent field', async () => {
        const store = await open();
        await store.transaction(async (tx) => {
          await tx.insert(esims, esim('1', { autoRenew: true }));
          await tx.insert(esims, esim('2', { autoRenew: false }));
          await tx.insert(esims, esim('3'));
          await tx.insert(esims, esim('4', { clientReference: null }));
        });
        const find = (where: Where<Esim>) =>
          ids(
            store,
            (tx) => tx.find(esims, where),
            (doc) => doc.iccid,
          );
        expect(await find({ autoRenew: true })).toEqual(['1']);
        expect(await find({ autoRenew: false })).toEqual(['2']);
        expect(await find({ autoRenew: null })).toEqual(['3', '4']);
        expect(await find({ tenantId: 'dev', clientReference: null })).toEqual([
          '1',
          '2',
          '3',
          '4',
        ]);
        expect(await find({ iccid: '2' })).toEqual(['2']);
      });

      it('refuses a document whose key or index field is not a scalar', async () => {
        const store = await open();
        const bad = { ...esim('1'), status: { nested: true } } as unknown as Esim;
        await expect(store.transaction((tx) => tx.insert(esims, bad))).rejects.toBeInstanceOf(
          InvalidDocumentError,
        );
        const noKey = { ...esim('1'), iccid: 42 } as unknown as Esim;
        await expect(store.transaction((tx) => tx.insert(esims, noKey))).rejects.toBeInstanceOf(
          InvalidDocumentError,
        );
      });
    });

    describe('uniqueness', () => {
      it('refuses a second document with the same primary key and keeps the first', async () => {
        const store = await open();
        await store.transaction((tx) => tx.insert(esims, esim('8901', { dataBytes: 1 })));
        const error = await store.transaction(async (tx) => {
          try {
            await tx.insert(esims, esim('8901', { dataBytes: 2 }));
          } catch (caught) {
            return caught;
          }
          return undefined;
        });
        expect(error).toBeInstanceOf(UniqueViolationError);
        expect(error).toMatchObject({
          code: 'unique_violation',
          collection: 'esims',
          fields: ['iccid'],
        });
        expect(await store.transaction((tx) => tx.find(esims, {}))).toEqual([
          esim('8901', { dataBytes: 1 }),
        ]);
      });

      it('refuses a taken single-field unique value on insert and on update', async () => {
        const store = await open();
        await store.transaction(async (tx) => {
          await tx.insert(charges, { id: 'ch_1', idempotencyKey: 'k1', amountMinor: 500 });
          await tx.insert(charges, { id: 'ch_2', idempotencyKey: 'k2', amountMinor: 700 });
        });
        const before = await store.transaction((tx) => tx.find(charges, {}));
        const insert = store.transaction((tx) =>
          tx.insert(charges, { id: 'ch_3', idempotencyKey: 'k1', amountMinor: 900 }),
        );
        await expect(insert).rejects.toMatchObject({
          constructor: UniqueViolationError,
          collection: 'charges',
          fields: ['idempotencyKey'],
        });
        const update = store.transaction((tx) =>
          tx.update(charges, { id: 'ch_2', idempotencyKey: 'k1', amountMinor: 700 }),
        );
        await expect(update).rejects.toMatchObject({ fields: ['idempotencyKey'] });
        const upsert = store.transaction((tx) =>
          tx.upsert(charges, { id: 'ch_9', idempotencyKey: 'k2', amountMinor: 1 }),
        );
        await expect(upsert).rejects.toBeInstanceOf(UniqueViolationError);
        expect(await store.transaction((tx) => tx.find(charges, {}))).toEqual(before);
      });

      it('refuses a taken composite unique value, but not across tenants or with a null part', async () => {
        const store = await open();
        await store.transaction(async (tx) => {
          await tx.insert(esims, esim('1', { tenantId: 'a', clientReference: 'order-7' }));
          await tx.insert(esims, esim('2', { tenantId: 'b', clientReference: 'order-7' }));
          await tx.insert(esims, esim('3', { tenantId: 'a', clientReference: null }));
          await tx.insert(esims, esim('4', { tenantId: 'a', clientReference: null }));
          await tx.insert(esims, esim('5', { tenantId: 'a' }));
        });
        const duplicate = store.transaction((tx) =>
          tx.insert(esims, esim('6', { tenantId: 'a', clientReference: 'order-7' })),
        );
        await expect(duplicate).rejects.toMatchObject({
          constructor: UniqueViolationError,
          fields: ['tenantId', 'clientReference'],
        });
        const steal = store.transaction((tx) =>
          tx.update(esims, esim('3', { tenantId: 'a', clientReference: 'order-7' })),
        );
        await expect(steal).rejects.toBeInstanceOf(UniqueViolationError);
        expect(await store.transaction((tx) => tx.count(esims, {}))).toBe(5);
        expect((await store.transaction((tx) => tx.get(esims, '3')))?.clientReference).toBeNull();
      });

      it('frees a unique value when its document is deleted or changed', async () => {
        const store = await open();
        await store.transaction((tx) =>
          tx.insert(charges, { id: 'ch_1', idempotencyKey: 'k1', amountMinor: 1 }),
        );
        await store.transaction(async (tx) => {
          await tx.update(charges, { id: 'ch_1', idempotencyKey: 'k2', amountMinor: 1 });
          await tx.insert(charges, { id: 'ch_2', idempotencyKey: 'k1', amountMinor: 2 });
          await tx.delete(charges, 'ch_1');
          await tx.insert(charges, { id: 'ch_3', idempotencyKey: 'k2', amountMinor: 3 });
        });
        expect(
          await ids(
            store,
            (tx) => tx.find(charges, {}),
            (doc) => doc.idempotencyKey,
          ),
        ).toEqual(['k1', 'k2']);
      });
      it('keeps a transaction usable after work catches a unique violation', async () => {
        const store = await open();
        await store.transaction((tx) =>
          tx.insert(charges, { id: 'ch_1', idempotencyKey: 'k1', amountMinor: 1 }),
        );
        const outcome = await store.transaction(async (tx) => {
          try {
            await tx.insert(charges, { id: 'ch_2', idempotencyKey: 'k1', amountMinor: 2 });
            return 'inserted';
          } catch (error) {
            if (!(error instanceof UniqueViolationError)) throw error;
            // The classic recovery: read what holds the key and record the outcome.
            const holder = await tx.find(charges, { idempotencyKey: 'k1' });
            await tx.insert(counters, { id: 'replays', value: holder.length });
            return 'replayed';
          }
        });
        expect(outcome).toBe('replayed');
        expect(await store.transaction((tx) => tx.get(counters, 'replays'))).toEqual({
          id: 'replays',
          value: 1,
        });
        expect(await store.transaction((tx) => tx.count(charges, {}))).toBe(1);
      });
    });

    describe('transactions', () => {
      it('rolls back everything the work wrote when it throws, and rethrows', async () => {
        const store = await open();
        await store.transaction(async (tx) => {
          await tx.insert(charges, { id: 'ch_1', idempotencyKey: 'k1', amountMinor: 1 });
          await tx.insert(esims, esim('1'));
        });
        const failure = new Error('gateway timed out');
        const attempt = store.transaction(async (tx) => {
          await tx.insert(charges, { id: 'ch_2', idempotencyKey: 'k2', amountMinor: 2 });
          await tx.update(charges, { id: 'ch_1', idempotencyKey: 'k3', amountMinor: 9 });
          await tx.insert(charges, { id: 'ch_4', idempotencyKey: 'k1', amountMinor: 4 });
          await tx.delete(esims, '1');
          await tx.deleteWhere(charges, {});
          throw failure;
        });
        await expect(attempt).rejects.toBe(failure);
        expect(await store.transaction((tx) => tx.find(charges, {}))).toEqual([
          { id: 'ch_1', idempotencyKey: 'k1', amountMinor: 1 },
        ]);
        expect(await store.transaction((tx) => tx.get(esims, '1'))).toEqual(esim('1'));
        // The freed and re-taken unique values are back where they were.
        await expect(
          store.transaction((tx) =>
            tx.insert(charges, { id: 'ch_5', idempotencyKey: 'k1', amountMinor: 5 }),
          ),
        ).rejects.toBeInstanceOf(UniqueViolationError);
        await store.transaction((tx) =>
          tx.insert(charges, { id: 'ch_5', idempotencyKey: 'k3', amountMinor: 5 }),
        );
      });

      it('lets a transaction read its own writes', async () => {
        const store = await open();
        await store.transaction(async (tx) => {
          await tx.insert(esims, esim('1', { status: 'active' }));
          expect(await tx.get(esims, '1')).toEqual(esim('1', { status: 'active' }));
          await tx.update(esims, esim('1', { status: 'expired' }));
          expect(await tx.find(esims, { status: 'expired' })).toEqual([
            esim('1', { status: 'expired' }),
          ]);
          expect(await tx.count(esims, { status: 'active' })).toBe(0);
          await tx.delete(esims, '1');
          expect(await tx.get(esims, '1')).toBeUndefined();
        });
      });

      it('never loses an update when 50 transactions increment one counter concurrently', async () => {
        const store = await open();
        await Promise.all(
          Array.from({ length: 50 }, () =>
            store.transaction(async (tx) => {
              const counter = await tx.get(counters, 'topups');
              // Yield between read and write: without serialisation another would interleave here.
              await new Promise((resolve) => setImmediate(resolve));
              await tx.upsert(counters, { id: 'topups', value: (counter?.value ?? 0) + 1 });
            }),
          ),
        );
        expect(await store.transaction((tx) => tx.get(counters, 'topups'))).toEqual({
          id: 'topups',
          value: 50,
        });
      });

      it('refuses a transaction nested in another of the same store', async () => {
        const store = await open();
        const nested = await store.transaction(async (tx) => {
          await tx.insert(counters, { id: 'outer', value: 1 });
          return store.transaction(async () => 'inner ran').catch((error: unknown) => error);
        });
        expect(nested).toBeInstanceOf(NestedTransactionError);
        expect(await store.transaction((tx) => tx.get(counters, 'outer'))).toEqual({
          id: 'outer',
          value: 1,
        });
      });

      it('refuses a tx used after its transaction ended', async () => {
        const store = await open();
        const leaked = await store.transaction(async (tx) => tx);
        await expect(leaked.get(counters, 'x')).rejects.toBeInstanceOf(TransactionEndedError);
        await expect(leaked.insert(counters, { id: 'x', value: 1 })).rejects.toBeInstanceOf(
          TransactionEndedError,
        );
      });

      it('closes after the running transaction commits, then refuses new ones', async () => {
        const database = newDatabase(kind);
        const store = await database.open();
        let release: () => void = () => {};
        let started: () => void = () => {};
        const working = new Promise<void>((resolve) => {
          started = resolve;
        });
        const running = store.transaction(async (tx) => {
          await new Promise<void>((resolve) => {
            release = resolve;
            started();
          });
          await tx.insert(counters, { id: 'late', value: 1 });
        });
        // Starting may take a round trip to the server (BEGIN): wait until `work` runs.
        await working;
        const closed = store.close();
        await expect(store.transaction(async () => 1)).rejects.toBeInstanceOf(StoreClosedError);
        release();
        await running;
        await closed;
        await store.close();
        const reopened = await database.open();
        expect(await reopened.transaction((tx) => tx.get(counters, 'late'))).toEqual({
          id: 'late',
          value: 1,
        });
      });
    });

    describe('queries', () => {
      it('filters and orders only on the primary key and declared indexed or unique fields', async () => {
        const store = await open();
        const where = { dataBytes: 5 } as unknown as Where<Esim>;
        await expect(store.transaction((tx) => tx.find(esims, where))).rejects.toMatchObject({
          constructor: InvalidQueryError,
          code: 'invalid_query',
        });
        await expect(
          store.transaction((tx) => tx.find(esims, {}, { orderBy: 'dataBytes' })),
        ).rejects.toBeInstanceOf(InvalidQueryError);
        const widened = { tenantId: undefined } as unknown as Where<Esim>;
        await expect(
          store.transaction((tx) => tx.deleteWhere(esims, widened)),
        ).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(
          store.transaction((tx) => tx.find(esims, {}, { limit: -1 })),
        ).rejects.toBeInstanceOf(InvalidQueryError);
        // A unique field that is not separately indexed is still queryable.
        await expect(
          store.transaction((tx) => tx.find(esims, { clientReference: 'x' })),
        ).resolves.toEqual([]);
      });

      it('orders by a field, nulls first ascending and last descending, ties by primary key', async () => {
        const store = await open();
        await store.transaction(async (tx) => {
          for (const [id, rank] of [
            ['e', 2],
            ['a', 'b'],
            ['c', null],
            ['d', 2],
            ['b', undefined],
            ['f', true],
            ['g', 1.5],
          ] as const) {
            await tx.insert(
              entries,
              rank === undefined ? { id, tenantId: 't' } : { id, tenantId: 't', rank },
            );
          }
        });
        const order = (direction: 'asc' | 'desc') =>
          ids(
            store,
            (tx) => tx.find(entries, {}, { orderBy: 'rank', direction }),
            (doc) => doc.id,
          );
        expect(await order('asc')).toEqual(['b', 'c', 'f', 'g', 'd', 'e', 'a']);
        expect(await order('desc')).toEqual(['a', 'e', 'd', 'g', 'f', 'c', 'b']);
        const afterTwo = await ids(
          store,
          (tx) => tx.find(entries, {}, { orderBy: 'rank', after: 2 }),
          (doc) => doc.id,
        );
        expect(afterTwo).toEqual(['a']);
        const afterD = await ids(
          store,
          (tx) => tx.find(entries, {}, { orderBy: 'rank', after: { value: 2, id: 'd' }, limit: 1 }),
          (doc) => doc.id,
        );
        expect(afterD).toEqual(['e']);
      });

      it(
        'pages through every matching document exactly once with a keyset cursor',
        async () => {
          const store = await open();
          await fc.assert(
            fc.asyncProperty(entriesArbitrary, queryArbitrary, async (docs, query) => {
              await store.transaction(async (tx) => {
                await tx.deleteWhere(entries, {});
                for (const doc of docs) await tx.insert(entries, doc);
              });
              const where = query.tenantId === undefined ? {} : { tenantId: query.tenantId };
              const order = { orderBy: query.orderBy, direction: query.direction } as const;
              const seen: string[] = [];
              let after: FindAfter | undefined;
              for (let pages = 0; pages <= docs.length + 1; pages++) {
                const page = await store.transaction((tx) =>
                  tx.find(entries, where, {
                    ...order,
                    limit: query.pageSize,
                    ...(after === undefined ? {} : { after }),
                  }),
                );
                seen.push(...page.map((doc) => doc.id));
                const last = page.at(-1);
                if (last === undefined || page.length < query.pageSize) break;
                after = cursorAfter(entries, last, query.orderBy);
              }
              const expected = docs
                .filter((doc) => query.tenantId === undefined || doc.tenantId === query.tenantId)
                .map((doc) => doc.id);
              expect([...seen].sort()).toEqual([...expected].sort());
              const unpaged = await ids(
                store,
                (tx) => tx.find(entries, where, order),
                (doc) => doc.id,
              );
              expect(seen).toEqual(unpaged);
            }),
            { numRuns: ioRuns() },
          );
        },
        ioPropertyTimeoutMs,
      );
      it(
        'deleteFound deletes exactly what find returns for the same arguments, and nothing else',
        async () => {
          const store = await open();
          await fc.assert(
            fc.asyncProperty(
              entriesArbitrary,
              queryArbitrary,
              fc.nat({ max: 12 }),
              fc.constantFrom('none', 'keyset', 'value'),
              async (docs, query, skip, cursor) => {
                await store.transaction(async (tx) => {
                  await tx.deleteWhere(entries, {});
                  for (const doc of docs) await tx.insert(entries, doc);
                });
                const where = query.tenantId === undefined ? {} : { tenantId: query.tenantId };
                const ordered = await store.transaction((tx) =>
                  tx.find(entries, where, { orderBy: query.orderBy, direction: query.direction }),
                );
                const from = ordered[skip];
                // A keyset cursor resumes at a document; a bare value (as the carrier's journal
                // trim uses) skips every tie of it.
                const after =
                  from === undefined || cursor === 'none'
                    ? undefined
                    : cursor === 'keyset'
                      ? cursorAfter(entries, from, query.orderBy)
                      : ((from as unknown as Record<string, ScalarValue>)[query.orderBy] ?? null);
                const options = {
                  orderBy: query.orderBy,
                  direction: query.direction,
                  ...(query.limited ? { limit: query.pageSize } : {}),
                  ...(after === undefined ? {} : { after }),
                } as const;
                const doomed = await ids(
                  store,
                  (tx) => tx.find(entries, where, options),
                  (doc) => doc.id,
                );

                const deleted = await store.transaction((tx) =>
                  tx.deleteFound(entries, where, options),
                );

                expect(deleted).toBe(doomed.length);
                const left = await ids(
                  store,
                  (tx) => tx.find(entries, {}),
                  (doc) => doc.id,
                );
                const expected = docs.map((doc) => doc.id).filter((id) => !doomed.includes(id));
                expect([...left].sort()).toEqual([...expected].sort());
              },
            ),
            { numRuns: ioRuns() },
          );
        },
        ioPropertyTimeoutMs,
      );
    });

    describe('sequences', () => {
      it('hands out unique values that increase in commit order, starting at 1', async () => {
        const store = await newDatabase(kind).open(sequenced);
        const taken = await Promise.all(
          Array.from({ length: 40 }, (_, index) =>
            store.transaction(async (tx) => {
              const first = await tx.nextInSequence(ledger, 'seq');
              await new Promise((resolve) => setImmediate(resolve));
              const second = await tx.nextInSequence(ledger, 'seq');
              await tx.insert(ledger, { id: `e${index}`, seq: first });
              return [first, second];
            }),
          ),
        );
        const values = taken.flat();
        expect(values[0]).toBe(1);
        expectIncreasing(values);
        expect(values.every(Number.isSafeInteger)).toBe(true);
        expect(await store.transaction((tx) => tx.count(ledger, {}))).toBe(40);
      });

      it('starts above the largest number the field holds when a migration declares it', async () => {
        const database = newDatabase(kind);
        const legacy = defineCollection<{ id: string; seq?: ScalarValue }>({
          name: 'ledger',
          primaryKey: 'id',
          unique: [['seq']],
        });
        const unnumbered: Migration[] = [
          ...migrations,
          { version: 3, name: 'ledger', collections: [legacy] },
        ];
        const old = await database.open(unnumbered);
        await old.transaction(async (tx) => {
          await tx.insert(legacy, { id: 'a', seq: 7 });
          await tx.insert(legacy, { id: 'b', seq: 41.5 });
          // Strings sort above numbers, absent and negative below: none of them counts.
          await tx.insert(legacy, { id: 'c', seq: 'imported-99' });
          await tx.insert(legacy, { id: 'd' });
          await tx.insert(legacy, { id: 'e', seq: -3 });
        });
        await old.close();
        let fromUp: number | undefined;
        const store = await database.open([
          ...unnumbered,
          {
            version: 4,
            name: 'number the ledger',
            sequences: [ledgerSequence],
            up: async (tx) => {
              fromUp = await tx.nextInSequence(ledger, 'seq');
            },
          },
        ]);
        expect(fromUp).toBe(42);
        expect(await store.transaction((tx) => tx.nextInSequence(ledger, 'seq'))).toBe(43);
      });

      it('keeps counting across close and reopen', async () => {
        const database = newDatabase(kind);
        const store = await database.open(sequenced);
        const taken: number[] = [];
        for (let i = 0; i < 3; i++) {
          taken.push(await store.transaction((tx) => tx.nextInSequence(ledger, 'seq')));
        }
        await store.close();
        const reopened = await database.open(sequenced);
        // Nothing was stored with those values: only the sequence itself remembers them.
        taken.push(await reopened.transaction((tx) => tx.nextInSequence(ledger, 'seq')));
        expectIncreasing(taken);
      });

      it('keeps values unique and increasing after a rolled-back transaction', async () => {
        const store = await newDatabase(kind).open(sequenced);
        const before = await store.transaction((tx) => tx.nextInSequence(ledger, 'seq'));
        const failure = new Error('card declined');
        await expect(
          store.transaction(async (tx) => {
            const seq = await tx.nextInSequence(ledger, 'seq');
            await tx.insert(ledger, { id: 'declined', seq });
            throw failure;
          }),
        ).rejects.toBe(failure);
        const after = await Promise.all(
          [1, 2, 3].map(() =>
            store.transaction(async (tx) => {
              const seq = await tx.nextInSequence(ledger, 'seq');
              await tx.insert(ledger, { id: `e${seq}`, seq });
              return seq;
            }),
          ),
        );
        expectIncreasing([before, ...after]);
        const stored = await store.transaction((tx) => tx.find(ledger, {}, { orderBy: 'seq' }));
        expect(stored.map((entry) => entry.seq)).toEqual(after);
      });

      it('refuses a field no migration declared a sequence for, naming the fix', async () => {
        const store = await newDatabase(kind).open(sequenced);
        const attempt = store.transaction((tx) => tx.nextInSequence(counters, 'value'));
        await expect(attempt).rejects.toMatchObject({
          constructor: UndeclaredSequenceError,
          code: 'undeclared_sequence',
          collection: 'counters',
          field: 'value',
        });
        await expect(attempt).rejects.toThrow("declare it in a migration's `sequences`");
      });

      it('refuses at open a sequence on an unknown collection, an unindexed field or twice', async () => {
        const declaring = (sequences: readonly SequenceSpec[]): Migration[] => [
          ...sequenced,
          { version: 4, name: 'more sequences', sequences },
        ];
        const refused = [
          declaring([{ collection: 'devices', field: 'seq' }]),
          declaring([{ collection: 'charges', field: 'amountMinor' }]),
          declaring([{ collection: 'charges', field: 'id' }]),
          declaring([ledgerSequence]),
        ];
        for (const migrationList of refused) {
          const failure = await newDatabase(kind)
            .open(migrationList)
            .catch((error: unknown) => error);
          expect(failure).toBeInstanceOf(MigrationFailedError);
          expect((failure as MigrationFailedError).version).toBe(4);
          expect((failure as MigrationFailedError).cause).toBeInstanceOf(InvalidSchemaError);
        }
      });

      it('forgets the sequence of a failed migration, so the fixed one can declare it', async () => {
        const database = newDatabase(kind);
        const failing: Migration[] = [
          ...migrations,
          {
            version: 3,
            name: 'ledger',
            collections: [ledger],
            sequences: [ledgerSequence],
            up: async (tx) => {
              await tx.nextInSequence(ledger, 'seq');
              throw new Error('backfill failed');
            },
          },
        ];
        await expect(database.open(failing)).rejects.toBeInstanceOf(MigrationFailedError);
        const store = await database.open(sequenced);
        expect(await store.transaction((tx) => tx.nextInSequence(ledger, 'seq'))).toBe(1);
      });
    });

    describe('migrations', () => {
      it('applies each migration once, and a reopen applies only what is new', async () => {
        const database = newDatabase(kind);
        let runs = 0;
        const counted: Migration[] = [
          ...migrations,
          {
            version: 3,
            name: 'seed counter',
            up: async (tx) => {
              runs++;
              const seeded = await tx.get(counters, 'seed');
              await tx.upsert(counters, { id: 'seed', value: (seeded?.value ?? 0) + 1 });
            },
          },
        ];
        const first = await database.open(counted);
        expect(runs).toBe(1);
        await first.close();
        const second = await database.open(counted);
        expect(runs).toBe(1);
        await second.close();
        const extended: Migration[] = [
          ...counted,
          {
            version: 4,
            name: 'seed again',
            up: (tx) => tx.update(counters, { id: 'seed', value: 10 }),
          },
        ];
        const third = await database.open(extended);
        expect(runs).toBe(1);
        expect(await third.transaction((tx) => tx.get(counters, 'seed'))).toEqual({
          id: 'seed',
          value: 10,
        });
      });

      it('refuses a database migrated by newer code', async () => {
        const database = newDatabase(kind);
        const newer = await database.open([
          ...migrations,
          { version: 3, name: 'future', collections: [] },
        ]);
        await newer.close();
        await expect(database.open(migrations)).rejects.toMatchObject({
          constructor: SchemaTooNewError,
          code: 'schema_too_new',
          databaseVersion: 3,
          knownVersion: 2,
        });
      });

      it('refuses a database whose recorded history the code rewrote', async () => {
        const database = newDatabase(kind);
        await (await database.open(migrations)).close();
        const renamed = migrations.map((migration) =>
          migration.version === 2 ? { ...migration, name: 'renamed' } : migration,
        );
        await expect(database.open(renamed)).rejects.toBeInstanceOf(MigrationHistoryError);
        const inserted: Migration[] = [
          { version: 1, name: 'initial', collections: [esims, charges, counters] },
          { version: 3, name: 'entries', collections: [entries] },
        ];
        await expect(database.open(inserted)).rejects.toBeInstanceOf(MigrationHistoryError);
      });

      it('adds a unique constraint and an index to an existing collection', async () => {
        const database = newDatabase(kind);
        interface Topup {
          readonly id: string;
          readonly iccid: string;
          readonly clientReference?: string;
        }
        const v1 = defineCollection<Topup>({ name: 'topups', primaryKey: 'id' });
        const v2 = defineCollection<Topup>({
          name: 'topups',
          primaryKey: 'id',
          indexed: ['iccid'],
          unique: [['iccid', 'clientReference']],
        });
        const before: Migration[] = [{ version: 1, name: 'topups', collections: [v1] }];
        const old = await database.open(before);
        await old.transaction(async (tx) => {
          await tx.insert(v1, { id: 't1', iccid: '8901', clientReference: 'r1' });
          await tx.insert(v1, { id: 't2', iccid: '8902', clientReference: 'r1' });
        });
        await expect(
          old.transaction((tx) => tx.find(v2, { iccid: '8901' })),
        ).rejects.toBeInstanceOf(SchemaMismatchError);
        await old.close();

        const after: Migration[] = [
          ...before,
          {
            version: 2,
            name: 'topup references',
            addIndexes: [
              { collection: 'topups', indexed: ['iccid'], unique: [['iccid', 'clientReference']] },
            ],
          },
        ];
        const upgraded = await database.open(after);
        expect(
          await ids(
            upgraded,
            (tx) => tx.find(v2, { iccid: '8901' }),
            (doc) => doc.id,
          ),
        ).toEqual(['t1']);
        await expect(
          upgraded.transaction((tx) =>
            tx.insert(v2, { id: 't3', iccid: '8901', clientReference: 'r1' }),
          ),
        ).rejects.toMatchObject({
          constructor: UniqueViolationError,
          fields: ['iccid', 'clientReference'],
        });
        await upgraded.transaction((tx) =>
          tx.insert(v2, { id: 't3', iccid: '8901', clientReference: 'r2' }),
        );
      });

      it('drops a plain index: queries on it are refused, documents and other keys kept, and it can come back', async () => {
        const database = newDatabase(kind);
        interface Event {
          readonly id: string;
          readonly seq: number;
          readonly type: string;
          readonly iccid: string;
        }
        const spec = (indexed: string[]) =>
          defineCollection<Event>({
            name: 'events',
            primaryKey: 'id',
            unique: [['seq']],
            indexed: indexed as (keyof Event & string)[],
          });
        const v1 = spec(['type', 'iccid']);
        const v2 = spec(['iccid']);
        const created: Migration[] = [{ version: 1, name: 'events', collections: [v1] }];
        const before = await database.open(created);
        await before.transaction(async (tx) => {
          await tx.insert(v1, { id: 'e1', seq: 1, type: 'topup.credited', iccid: '8901' });
          await tx.insert(v1, { id: 'e2', seq: 2, type: 'esim.expired', iccid: '8902' });
        });
        await before.close();

        const dropped: Migration[] = [
          ...created,
          {
            version: 2,
            name: 'no type index',
            dropIndexes: [{ collection: 'events', indexed: ['type'] }],
          },
        ];
        const after = await database.open(dropped);
        await expect(after.transaction((tx) => tx.find(v1, { type: 'x' }))).rejects.toBeInstanceOf(
          SchemaMismatchError,
        );
        await expect(
          after.transaction((tx) => tx.find(v2, { type: 'x' } as never)),
        ).rejects.toBeInstanceOf(InvalidQueryError);
        await after.transaction((tx) =>
          tx.insert(v2, { id: 'e3', seq: 3, type: 'topup.credited', iccid: '8901' }),
        );
        expect(
          await ids(
            after,
            (tx) => tx.find(v2, { iccid: '8901' }, { orderBy: 'seq' }),
            (e) => e.id,
          ),
        ).toEqual(['e1', 'e3']);
        expect((await after.transaction((tx) => tx.get(v2, 'e2')))?.type).toBe('esim.expired');
        await expect(
          after.transaction((tx) => tx.insert(v2, { id: 'e4', seq: 3, type: 't', iccid: '8903' })),
        ).rejects.toBeInstanceOf(UniqueViolationError);
        await after.close();

        const restored = await database.open([
          ...dropped,
          {
            version: 3,
            name: 'type index again',
            addIndexes: [{ collection: 'events', indexed: ['type'] }],
          },
        ]);
        expect(
          await ids(
            restored,
            (tx) => tx.find(v1, { type: 'topup.credited' }, { orderBy: 'seq' }),
            (e) => e.id,
          ),
        ).toEqual(['e1', 'e3']);
        await restored.close();
      });

      it('refuses to drop an index that is not a plain index of the collection', async () => {
        const database = newDatabase(kind);
        for (const drop of [
          { collection: 'esims', indexed: ['eid'] },
          // Keyed by a unique constraint only: that is not a plain index.
          { collection: 'esims', indexed: ['clientReference'] },
          { collection: 'missing', indexed: ['status'] },
        ]) {
          const failure = await database
            .open([...migrations, { version: 3, name: 'drop', dropIndexes: [drop] }])
            .catch((error: unknown) => error);
          expect(failure).toBeInstanceOf(MigrationFailedError);
          expect((failure as MigrationFailedError).cause).toBeInstanceOf(InvalidSchemaError);
        }
      });

      it('rolls back a migration whose new unique constraint existing documents break', async () => {
        const database = newDatabase(kind);
        const store = await database.open(migrations);
        await store.transaction(async (tx) => {
          await tx.insert(esims, esim('1', { status: 'active' }));
          await tx.insert(esims, esim('2', { status: 'active' }));
        });
        await store.close();
        const breaking: Migration[] = [
          ...migrations,
          {
            version: 3,
            name: 'one per status',
            up: (tx) => tx.insert(counters, { id: 'marker', value: 1 }),
            addIndexes: [{ collection: 'esims', unique: [['status']] }],
          },
        ];
        const failure = await database.open(breaking).catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(MigrationFailedError);
        expect((failure as MigrationFailedError).cause).toBeInstanceOf(UniqueViolationError);
        const reopened = await database.open(migrations);
        expect(await reopened.transaction((tx) => tx.count(esims, {}))).toBe(2);
        expect(await reopened.transaction((tx) => tx.get(counters, 'marker'))).toBeUndefined();
      });

      it('rolls back the schema changes of a migration whose data step throws', async () => {
        const database = newDatabase(kind);
        const failing: Migration[] = [
          ...migrations,
          {
            version: 3,
            name: 'half done',
            collections: [{ name: 'webhooks', primaryKey: 'id' }],
            up: async () => {
              throw new Error('backfill failed');
            },
          },
        ];
        await expect(database.open(failing)).rejects.toBeInstanceOf(MigrationFailedError);
        const webhooks = defineCollection<{ id: string }>({ name: 'webhooks', primaryKey: 'id' });
        const fixed: Migration[] = [
          ...migrations,
          { version: 3, name: 'half done', collections: [webhooks] },
        ];
        const store = await database.open(fixed);
        await store.transaction((tx) => tx.insert(webhooks, { id: 'wh_1' }));
      });

      it('refuses a collection that no migration creates', async () => {
        const store = await open();
        const unknown = defineCollection<{ id: string }>({ name: 'devices', primaryKey: 'id' });
        await expect(store.transaction((tx) => tx.get(unknown, 'x'))).rejects.toMatchObject({
          constructor: SchemaMismatchError,
          code: 'schema_mismatch',
        });
      });

      it('keeps committed state across close and reopen', async () => {
        const database = newDatabase(kind);
        const store = await database.open();
        await store.transaction(async (tx) => {
          await tx.insert(esims, esim('1', { clientReference: 'r' }));
          await tx.insert(counters, { id: 'c', value: 7 });
        });
        await store.close();
        const reopened = await database.open();
        expect(await reopened.transaction((tx) => tx.get(esims, '1'))).toEqual(
          esim('1', { clientReference: 'r' }),
        );
        expect(await reopened.transaction((tx) => tx.get(counters, 'c'))).toEqual({
          id: 'c',
          value: 7,
        });
        await expect(
          reopened.transaction((tx) => tx.insert(esims, esim('2', { clientReference: 'r' }))),
        ).rejects.toBeInstanceOf(UniqueViolationError);
      });
    });
  });
}

/**
 * Runs random queries on random documents, some of them then rewritten, in each store and
 * expects identical answers.
 */
async function expectSameAnswers(kinds: readonly StoreKind[]): Promise<void> {
  const stores = await Promise.all(kinds.map((kind) => newDatabase(kind).open()));
  await fc.assert(
    fc.asyncProperty(
      entriesArbitrary,
      rewritesArbitrary,
      queryArbitrary,
      afterArbitrary,
      async (docs, rewrites, query, after) => {
        const where = {
          ...(query.tenantId === undefined ? {} : { tenantId: query.tenantId }),
          ...(query.rank === undefined ? {} : { rank: query.rank }),
        };
        const options = {
          orderBy: query.orderBy,
          direction: query.direction,
          ...(query.limited ? { limit: query.pageSize } : {}),
          ...(after === undefined
            ? {}
            : { after: query.orderBy === 'id' && typeof after !== 'string' ? '' : after }),
        };
        const results = [];
        for (const store of stores) {
          results.push(
            await store.transaction(async (tx) => {
              await tx.deleteWhere(entries, {});
              for (const doc of docs) await tx.insert(entries, doc);
              for (const { at, tenantId, rank } of docs.length === 0 ? [] : rewrites) {
                const { id } = docs[at % docs.length] as Entry;
                await tx.update(entries, { id, tenantId, ...(rank === undefined ? {} : { rank }) });
              }
              return {
                found: await tx.find(entries, where, options),
                counted: await tx.count(entries, where),
              };
            }),
          );
        }
        for (const result of results.slice(1)) expect(result).toEqual(results[0]);
      },
    ),
    { numRuns: ioRuns() },
  );
}

describe('memory and SQLite stores', () => {
  it(
    'return the same documents in the same order for any query',
    async () => {
      await expectSameAnswers(['memory', 'sqlite']);
    },
    ioPropertyTimeoutMs,
  );
});

describe.skipIf(skipPostgres)('memory and PostgreSQL stores', () => {
  it(
    'return the same documents in the same order for any query',
    async () => {
      await expectSameAnswers(['memory', 'postgres']);
    },
    ioPropertyTimeoutMs,
  );
});
