import type {
  Collection,
  CollectionSpec,
  NormalizedCollectionSpec,
  ScalarField,
} from '../collection.ts';
import {
  MigrationFailedError,
  NotFoundError,
  TransactionEndedError,
  UndeclaredSequenceError,
  UniqueViolationError,
} from '../errors.ts';
import { type EncodedDocument, encodeDocument } from '../internal/document.ts';
import { compareIndexValues, compareText, type IndexValue } from '../internal/index-value.ts';
import { type FindQuery, parseFind, parseWhere, type WhereTerm } from '../internal/query.ts';
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
import type { CommonStoreOptions, FindOptions, Store, StoreTx, Where } from '../store.ts';

interface StoredRow {
  readonly json: string;
  readonly keys: ReadonlyMap<string, IndexValue>;
}

interface UniqueIndex {
  readonly fields: readonly string[];
  /** Tuple of field values (JSON) → id of the document that holds it. */
  readonly owners: Map<string, string>;
}

/** Ids by value of one key field: what lets `find` on an indexed field skip a table scan. */
type EqualityIndex = Map<IndexValue, Set<string>>;

interface MemoryTable {
  spec: NormalizedCollectionSpec;
  readonly docs: Map<string, StoredRow>;
  readonly unique: UniqueIndex[];
  /** One per key field other than the primary key (the `docs` map is that one). */
  lookup: Map<string, EqualityIndex>;
}

interface MemoryState {
  tables: Map<string, MemoryTable>;
  applied: AppliedMigration[];
  /** The last value each declared sequence gave, by `sequenceKey`. */
  sequences: Map<string, number>;
  inUse: boolean;
}

const states = new WeakMap<MemoryDatabase, MemoryState>();

/**
 * The data behind a memory store. Open a store on the same database again after closing the
 * first to simulate a restart; the data lives as long as this object.
 */
export class MemoryDatabase {
  constructor() {
    states.set(this, { tables: new Map(), applied: [], sequences: new Map(), inUse: false });
  }
}

export interface OpenMemoryStoreOptions extends CommonStoreOptions {
  readonly migrations: readonly Migration[];
  /** Defaults to a new, empty database. */
  readonly database?: MemoryDatabase;
}

/** Opens a store that keeps everything in this process's memory; for tests. */
export async function openMemoryStore(options: OpenMemoryStoreOptions): Promise<Store> {
  validateMigrations(options.migrations);
  const database = options.database ?? new MemoryDatabase();
  const state = states.get(database) as MemoryState;
  if (state.inUse) {
    throw new Error(
      'this MemoryDatabase already has an open store; close it before opening another',
    );
  }
  const store = new MemoryStore(state, options.detectNestedTransactions ?? true);
  await store.migrate(options.migrations);
  state.inUse = true;
  return store;
}

class MemoryStore implements Store {
  readonly kind = 'memory';
  readonly #state: MemoryState;
  readonly #gate: TransactionGate;
  #checkedHandles = new WeakSet<CollectionSpec>();

  constructor(state: MemoryState, detectNesting: boolean) {
    this.#state = state;
    this.#gate = new TransactionGate({ detectNesting });
  }

  transaction<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.#gate.run(() => this.#runTransaction(work));
  }

  close(): Promise<void> {
    return this.#gate.close(() => {
      this.#state.inUse = false;
    });
  }

  async migrate(migrations: readonly Migration[]): Promise<void> {
    for (const migration of pendingMigrations(
      'the memory database',
      migrations,
      this.#state.applied,
    )) {
      const snapshot = cloneState(this.#state);
      try {
        const plan = planMigration(
          schemaOf(this.#state),
          migration,
          new Set(this.#state.sequences.keys()),
        );
        applySchemaChanges(this.#state, plan.schema, plan.changes);
        this.#checkedHandles = new WeakSet();
        for (const { collection, field } of plan.sequences) {
          const spec = plan.schema.get(collection) as NormalizedCollectionSpec;
          const start = await this.#runTransaction((tx) => sequenceStart(tx, spec, field));
          this.#state.sequences.set(sequenceKey(collection, field), start);
        }
        const { up } = migration;
        if (up) await this.#runTransaction(up);
        this.#state.applied.push({ version: migration.version, name: migration.name });
      } catch (error) {
        this.#state.tables = snapshot.tables;
        this.#state.applied = snapshot.applied;
        this.#state.sequences = snapshot.sequences;
        throw new MigrationFailedError(migration.version, migration.name, error);
      } finally {
        this.#checkedHandles = new WeakSet();
      }
    }
  }

  async #runTransaction<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
    const tx = new MemoryTransaction(
      (handle) => this.#tableFor(handle),
      (key) => this.#takeSequenceValue(key),
    );
    try {
      return await work(tx);
    } catch (error) {
      tx.rollback();
      throw error;
    } finally {
      tx.end();
    }
  }

  // Not undone by a rollback, like a PostgreSQL sequence: a rolled-back transaction leaves a gap.
  #takeSequenceValue(key: string): number | undefined {
    const last = this.#state.sequences.get(key);
    if (last === undefined) return undefined;
    this.#state.sequences.set(key, last + 1);
    return last + 1;
  }

  #tableFor(handle: CollectionSpec): MemoryTable {
    if (!this.#checkedHandles.has(handle)) {
      assertHandleMatchesSchema(schemaOf(this.#state), handle);
      this.#checkedHandles.add(handle);
    }
    return this.#state.tables.get(handle.name) as MemoryTable;
  }
}

class MemoryTransaction implements StoreTx {
  readonly #tableFor: (handle: CollectionSpec) => MemoryTable;
  readonly #takeSequenceValue: (key: string) => number | undefined;
  // The first version of each row this transaction touched, to restore on rollback.
  readonly #undo = new Map<MemoryTable, Map<string, StoredRow | undefined>>();
  #active = true;

  constructor(
    tableFor: (handle: CollectionSpec) => MemoryTable,
    takeSequenceValue: (key: string) => number | undefined,
  ) {
    this.#tableFor = tableFor;
    this.#takeSequenceValue = takeSequenceValue;
  }

  async get<T>(collection: Collection<T>, id: string): Promise<T | undefined> {
    const row = this.#table(collection).docs.get(id);
    return row === undefined ? undefined : (JSON.parse(row.json) as T);
  }

  async find<T>(
    collection: Collection<T>,
    where: Where<T>,
    options?: FindOptions<T>,
  ): Promise<T[]> {
    const table = this.#table(collection);
    const query = parseFind(collection, where, options as FindOptions<unknown>);
    return selectRows(table, query).map(([, row]) => JSON.parse(row.json) as T);
  }

  async count<T>(collection: Collection<T>, where: Where<T>): Promise<number> {
    const table = this.#table(collection);
    return matchingRows(table, parseWhere(collection, where)).length;
  }

  async insert<T>(collection: Collection<T>, doc: T): Promise<void> {
    const table = this.#table(collection);
    const encoded = encodeDocument(table.spec, doc);
    if (table.docs.has(encoded.id)) {
      throw new UniqueViolationError(table.spec.name, [table.spec.primaryKey]);
    }
    this.#write(table, encoded);
  }

  async update<T>(collection: Collection<T>, doc: T): Promise<void> {
    const table = this.#table(collection);
    const encoded = encodeDocument(table.spec, doc);
    if (!table.docs.has(encoded.id)) throw new NotFoundError(table.spec.name, encoded.id);
    this.#write(table, encoded);
  }

  async upsert<T>(collection: Collection<T>, doc: T): Promise<void> {
    const table = this.#table(collection);
    this.#write(table, encodeDocument(table.spec, doc));
  }

  async delete<T>(collection: Collection<T>, id: string): Promise<boolean> {
    const table = this.#table(collection);
    if (!table.docs.has(id)) return false;
    this.#remove(table, id);
    return true;
  }

  async deleteWhere<T>(collection: Collection<T>, where: Where<T>): Promise<number> {
    const table = this.#table(collection);
    return this.#removeAll(table, matchingRows(table, parseWhere(collection, where)));
  }

  async deleteFound<T>(
    collection: Collection<T>,
    where: Where<T>,
    options: FindOptions<T>,
  ): Promise<number> {
    const table = this.#table(collection);
    const query = parseFind(collection, where, options as FindOptions<unknown>);
    return this.#removeAll(table, selectRows(table, query));
  }

  #removeAll(table: MemoryTable, rows: readonly [string, StoredRow][]): number {
    for (const [id] of rows) this.#remove(table, id);
    return rows.length;
  }

  async nextInSequence<T>(collection: Collection<T>, field: ScalarField<T>): Promise<number> {
    const { spec } = this.#table(collection);
    const value = this.#takeSequenceValue(sequenceKey(spec.name, field));
    if (value === undefined) throw new UndeclaredSequenceError(spec.name, field);
    return value;
  }

  rollback(): void {
    // Unindex every touched row before re-indexing any, so restored rows never clash with
    // rows this transaction is about to take away.
    for (const [table, rows] of this.#undo) {
      for (const id of rows.keys()) {
        const current = table.docs.get(id);
        if (current !== undefined) {
          unindexRow(table, id, current);
          table.docs.delete(id);
        }
      }
    }
    for (const [table, rows] of this.#undo) {
      for (const [id, prior] of rows) {
        if (prior !== undefined) {
          table.docs.set(id, prior);
          indexRow(table, id, prior);
        }
      }
    }
    this.#undo.clear();
  }

  end(): void {
    this.#active = false;
  }

  #table(collection: CollectionSpec): MemoryTable {
    if (!this.#active) throw new TransactionEndedError();
    return this.#tableFor(collection);
  }

  #write(table: MemoryTable, encoded: EncodedDocument): void {
    const taken = uniqueConflict(table, encoded);
    if (taken !== undefined) throw new UniqueViolationError(table.spec.name, taken);
    const row: StoredRow = { json: encoded.json, keys: encoded.keys };
    this.#remember(table, encoded.id);
    const previous = table.docs.get(encoded.id);
    if (previous !== undefined) unindexRow(table, encoded.id, previous);
    table.docs.set(encoded.id, row);
    indexRow(table, encoded.id, row);
  }

  #remove(table: MemoryTable, id: string): void {
    const row = table.docs.get(id);
    if (row === undefined) return;
    this.#remember(table, id);
    unindexRow(table, id, row);
    table.docs.delete(id);
  }

  #remember(table: MemoryTable, id: string): void {
    let rows = this.#undo.get(table);
    if (rows === undefined) {
      rows = new Map();
      this.#undo.set(table, rows);
    }
    if (!rows.has(id)) rows.set(id, table.docs.get(id));
  }
}

function schemaOf(state: MemoryState): Schema {
  return new Map([...state.tables].map(([name, table]) => [name, table.spec]));
}

function cloneState(state: MemoryState): Pick<MemoryState, 'tables' | 'applied' | 'sequences'> {
  const tables = new Map<string, MemoryTable>();
  for (const [name, table] of state.tables) {
    tables.set(name, {
      spec: table.spec,
      docs: new Map(table.docs),
      unique: table.unique.map((index) => ({
        fields: index.fields,
        owners: new Map(index.owners),
      })),
      lookup: new Map(
        [...table.lookup].map(([field, index]) => [
          field,
          new Map([...index].map(([value, ids]) => [value, new Set(ids)])),
        ]),
      ),
    });
  }
  return { tables, applied: [...state.applied], sequences: new Map(state.sequences) };
}

function applySchemaChanges(
  state: MemoryState,
  schema: Schema,
  changes: readonly SchemaChange[],
): void {
  const rekey = new Set<MemoryTable>();
  for (const change of changes) {
    if (change.kind === 'createCollection') {
      state.tables.set(change.spec.name, {
        spec: change.spec,
        docs: new Map(),
        unique: [],
        lookup: new Map(),
      });
    }
  }
  for (const table of state.tables.values()) table.spec = schema.get(table.spec.name) ?? table.spec;
  for (const change of changes) {
    if (change.kind === 'addColumn' || change.kind === 'dropColumn') {
      rekey.add(state.tables.get(change.collection) as MemoryTable);
    }
  }
  // Key fields added or dropped: read every stored document's keys again, as SQL tables hold
  // them.
  for (const table of rekey) {
    for (const [id, row] of table.docs) {
      const { keys } = encodeDocument(table.spec, JSON.parse(row.json));
      table.docs.set(id, { json: row.json, keys });
    }
  }
  for (const table of state.tables.values()) rebuildLookup(table);
  for (const change of changes) {
    if (change.kind === 'createCollection') {
      for (const fields of change.spec.unique) addUniqueIndex(state, change.spec.name, fields);
    } else if (change.kind === 'addUnique') {
      addUniqueIndex(state, change.collection, change.fields);
    }
  }
}

function addUniqueIndex(state: MemoryState, collection: string, fields: readonly string[]): void {
  const table = state.tables.get(collection) as MemoryTable;
  const index: UniqueIndex = { fields, owners: new Map() };
  for (const [id, row] of table.docs) {
    const tuple = uniqueTuple(index, row.keys);
    if (tuple === undefined) continue;
    if (index.owners.has(tuple)) throw new UniqueViolationError(collection, fields);
    index.owners.set(tuple, id);
  }
  table.unique.push(index);
}

// Like SQL, a unique constraint ignores documents where any of its fields is null or absent.
function uniqueTuple(
  index: UniqueIndex,
  keys: ReadonlyMap<string, IndexValue>,
): string | undefined {
  const values = index.fields.map((field) => keys.get(field) ?? null);
  return values.includes(null) ? undefined : JSON.stringify(values);
}

function uniqueConflict(
  table: MemoryTable,
  encoded: EncodedDocument,
): readonly string[] | undefined {
  for (const index of table.unique) {
    const tuple = uniqueTuple(index, encoded.keys);
    if (tuple === undefined) continue;
    const owner = index.owners.get(tuple);
    if (owner !== undefined && owner !== encoded.id) return index.fields;
  }
  return undefined;
}

function indexRow(table: MemoryTable, id: string, row: StoredRow): void {
  for (const index of table.unique) {
    const tuple = uniqueTuple(index, row.keys);
    if (tuple !== undefined) index.owners.set(tuple, id);
  }
  for (const [field, index] of table.lookup) {
    const value = fieldValue(row, field);
    let ids = index.get(value);
    if (ids === undefined) {
      ids = new Set();
      index.set(value, ids);
    }
    ids.add(id);
  }
}

function unindexRow(table: MemoryTable, id: string, row: StoredRow): void {
  for (const index of table.unique) {
    const tuple = uniqueTuple(index, row.keys);
    if (tuple !== undefined && index.owners.get(tuple) === id) index.owners.delete(tuple);
  }
  for (const [field, index] of table.lookup) {
    const value = fieldValue(row, field);
    const ids = index.get(value);
    ids?.delete(id);
    if (ids?.size === 0) index.delete(value);
  }
}

/** (Re)builds the equality indexes of every key field from the stored rows. */
function rebuildLookup(table: MemoryTable): void {
  table.lookup = new Map(keyColumns(table.spec).map((field) => [field, new Map()]));
  for (const [field, index] of table.lookup) {
    for (const [id, row] of table.docs) {
      const value = fieldValue(row, field);
      const ids = index.get(value);
      if (ids === undefined) index.set(value, new Set([id]));
      else ids.add(id);
    }
  }
}

function fieldValue(row: StoredRow, field: string): IndexValue {
  return row.keys.get(field) ?? null;
}

function matchingRows(table: MemoryTable, where: readonly WhereTerm[]): [string, StoredRow][] {
  const matches = (row: StoredRow) =>
    where.every((term) => compareIndexValues(fieldValue(row, term.field), term.value) === 0);
  const found: [string, StoredRow][] = [];
  for (const id of candidateIds(table, where) ?? table.docs.keys()) {
    const row = table.docs.get(id);
    if (row !== undefined && matches(row)) found.push([id, row]);
  }
  return found;
}

/** The ids the most selective equality term allows; undefined when no term narrows the scan. */
function candidateIds(
  table: MemoryTable,
  where: readonly WhereTerm[],
): Iterable<string> | undefined {
  let narrowest: Iterable<string> | undefined;
  let size = Number.POSITIVE_INFINITY;
  for (const term of where) {
    if (term.field === table.spec.primaryKey) {
      return typeof term.value === 'string' && table.docs.has(term.value) ? [term.value] : [];
    }
    const index = table.lookup.get(term.field);
    if (index === undefined) continue;
    const ids = index.get(term.value);
    if (ids === undefined) return [];
    if (ids.size < size) {
      narrowest = ids;
      size = ids.size;
    }
  }
  return narrowest;
}

function selectRows(table: MemoryTable, query: FindQuery): [string, StoredRow][] {
  const sign = query.descending ? -1 : 1;
  const position = ([id, row]: [string, StoredRow]) => ({
    value: fieldValue(row, query.orderBy),
    id,
  });
  let rows = matchingRows(table, query.where);
  const { after } = query;
  if (after !== undefined) {
    rows = rows.filter((entry) => {
      const { value, id } = position(entry);
      let order = compareIndexValues(value, after.value);
      if (order === 0 && after.kind === 'keyset') order = compareText(id, after.id);
      return sign * order > 0;
    });
  }
  rows.sort((a, b) => {
    const x = position(a);
    const y = position(b);
    return sign * (compareIndexValues(x.value, y.value) || compareText(x.id, y.id));
  });
  return query.limit === undefined ? rows : rows.slice(0, query.limit);
}
