import type Database from 'better-sqlite3';

/**
 * The sequence values taken in the open write transaction, kept in memory and written to
 * `schema_sequences` once, just before it commits. Only the holder of SQLite's write lock
 * takes values, so the row cannot change underneath; a transaction rolled back to its
 * savepoint leaves a gap (values are never handed out twice), and a write transaction rolled
 * back as a whole forgets them, with everything that used them.
 */
export class PendingSequences {
  readonly #values = new Map<string, number>();
  readonly #db: Database.Database;
  // Prepared on first use: the table is created by the first migration run.
  #read: Database.Statement | undefined;
  #write: Database.Statement | undefined;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  /** The next value of sequence `name`, or undefined if no migration declared it. */
  next(name: string): number | undefined {
    this.#read ??= this.#db.prepare('SELECT value FROM schema_sequences WHERE name = ?').pluck();
    const last = this.#values.get(name) ?? (this.#read.get(name) as number | undefined);
    if (last === undefined) return undefined;
    this.#values.set(name, last + 1);
    return last + 1;
  }

  /** Writes the values taken into the open write transaction; call right before COMMIT. */
  writeBack(): void {
    if (this.#values.size === 0) return;
    this.#write ??= this.#db.prepare('UPDATE schema_sequences SET value = ? WHERE name = ?');
    for (const [name, value] of this.#values) this.#write.run(value, name);
    this.#values.clear();
  }

  /** The write transaction rolled back: the values taken in it are free again. */
  forget(): void {
    this.#values.clear();
  }
}
