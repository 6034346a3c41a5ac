import type Database from 'better-sqlite3';
import type { PendingSequences } from './pending-sequences.ts';

/** How one transaction of a batch ended: its result, or the error its work threw. */
type Outcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: unknown };

interface Member {
  readonly outcome: Outcome;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

// Commits chained (below) one after another before a batch waits for the event loop's next
// check phase again: enough for a request's few steps, while a loop of transactions still lets
// the event loop turn (batches that fill up commit at once, chained or not).
const MAX_CHAINED_COMMITS = 8;

/**
 * Group commit on one SQLite connection. Transactions that arrive within one turn of the event
 * loop share one `BEGIN IMMEDIATE … COMMIT`, each after the first inside its own savepoint, so
 * one that throws rolls back alone. A commit writes every page it dirtied to the WAL, and transactions of
 * concurrent requests dirty the same hot pages (index tails, the sequences), so one commit for
 * many costs far less than one each.
 *
 * No transaction reports its outcome, success or failure, before the shared commit is done: no
 * caller acts on a write that a crash could still undo, or on a refusal caused by one.
 * Callers run one transaction at a time (the store's gate); the batch commits on the next
 * `setImmediate` after a transaction finishes (once the I/O callbacks of this turn have added
 * theirs), or when it holds `maxTransactions`.
 *
 * Chained commits: what a commit settles mostly goes on at once to its next transaction (a
 * saga's next step), without I/O in between. Those transactions form the next batch, which
 * commits as soon as they have all run (a tick queued from a microtask runs once the microtask
 * queue is empty), not a turn of the event loop later, after the next round of requests. A
 * request whose steps wait on nothing else then mostly takes one turn, not one per step. At
 * most `MAX_CHAINED_COMMITS` are chained before the event loop's next check phase.
 */
export class GroupCommit {
  readonly #db: Database.Database;
  readonly #maxTransactions: number;
  readonly #sequences: PendingSequences;
  readonly #begin: Database.Statement;
  readonly #commit: Database.Statement;
  readonly #rollback: Database.Statement;
  readonly #savepoint: Database.Statement;
  readonly #release: Database.Statement;
  readonly #rollbackToSavepoint: Database.Statement;
  /** The finished transactions of the open write transaction; undefined when none is open. */
  #batch: Member[] | undefined;
  #running = false;
  #commitScheduled = false;
  /** The scheduled commit came while a transaction ran: it commits when that one ends. */
  #commitDue = false;
  /** A chained commit is queued, to run once what the last commit settled has run. */
  #chainQueued = false;
  /** Commits chained since the event loop's last check phase. */
  #chained = 0;

  readonly #afterCommit: () => void;

  constructor(
    db: Database.Database,
    maxTransactions: number,
    sequences: PendingSequences,
    afterCommit: () => void,
  ) {
    this.#db = db;
    this.#afterCommit = afterCommit;
    this.#maxTransactions = maxTransactions;
    this.#sequences = sequences;
    // IMMEDIATE takes the write lock up front, so a transaction never fails half-way with
    // SQLITE_BUSY when it first writes.
    this.#begin = db.prepare('BEGIN IMMEDIATE');
    this.#commit = db.prepare('COMMIT');
    this.#rollback = db.prepare('ROLLBACK');
    this.#savepoint = db.prepare('SAVEPOINT esimlab_tx');
    this.#release = db.prepare('RELEASE esimlab_tx');
    this.#rollbackToSavepoint = db.prepare('ROLLBACK TO esimlab_tx');
  }

  /**
   * Runs `work` as one transaction of the open batch (beginning one if needed) and returns,
   * boxed so that awaiting this does not wait for it, its outcome, settled by the commit.
   * The caller must not start another before this resolves.
   */
  async run<T>(work: () => Promise<T>): Promise<{ readonly settled: Promise<T> }> {
    // The first transaction of a batch needs no savepoint: if it fails, rolling back the whole
    // write transaction undoes it alone. A savepoint keeps the old content of every page it
    // changes, in memory, so a large transaction (a reset deleting every row) costs far less
    // memory outside one.
    const first = this.#batch === undefined;
    if (first) {
      this.#begin.run();
      this.#batch = [];
    }
    const batch = this.#batch as Member[];
    this.#running = true;
    let outcome: Outcome;
    try {
      if (!first) this.#savepoint.run();
      try {
        outcome = { ok: true, value: await work() };
        if (!first) this.#release.run();
      } catch (error) {
        outcome = { ok: false, error };
        if (first) {
          if (this.#db.inTransaction) this.#rollback.run();
        } else if (this.#db.inTransaction) {
          this.#rollbackToSavepoint.run();
          this.#release.run();
        }
      }
    } catch (error) {
      outcome = { ok: false, error };
    } finally {
      this.#running = false;
    }
    const settled = new Promise<T>((resolve, reject) => {
      batch.push({ outcome, resolve: resolve as (value: unknown) => void, reject });
    });
    if (!this.#db.inTransaction) {
      // The first transaction failed and was rolled back alone, or SQLite rolled the whole
      // write transaction back (an I/O error, a full disk) and with it what the batch's earlier
      // transactions wrote.
      this.#batch = undefined;
      this.#commitDue = false;
      this.#sequences.forget();
      settle(batch, {
        committed: false,
        error: new Error('SQLite rolled back the write transaction this transaction shared', {
          cause: outcome.ok ? undefined : outcome.error,
        }),
      });
    } else if (this.#commitDue || batch.length >= this.#maxTransactions) {
      this.flush();
    } else if (!this.#commitScheduled && !this.#chainQueued) {
      this.#commitScheduled = true;
      setImmediate(() => {
        this.#commitScheduled = false;
        this.#commitWhenIdle();
      });
    }
    return { settled };
  }

  /** Commits the open batch, if any, and settles its transactions. Not while one runs. */
  flush(): void {
    this.#commitDue = false;
    const batch = this.#batch;
    if (batch === undefined) return;
    this.#batch = undefined;
    try {
      this.#sequences.writeBack();
      this.#commit.run();
    } catch (error) {
      if (this.#db.inTransaction) this.#rollback.run();
      this.#sequences.forget();
      settle(batch, { committed: false, error });
      return;
    }
    settle(batch, { committed: true });
    this.#afterCommit();
    this.#chainNextCommit();
  }

  #chainNextCommit(): void {
    if (this.#chainQueued) return;
    if (this.#chained >= MAX_CHAINED_COMMITS) return;
    if (this.#chained === 0) setImmediate(() => (this.#chained = 0));
    this.#chainQueued = true;
    // Queued now, a tick would run before the settled transactions' callers go on; queued
    // from a microtask, it runs after every microtask they queue, however many hops deep.
    queueMicrotask(() =>
      process.nextTick(() => {
        this.#chainQueued = false;
        if (this.#batch === undefined) return;
        this.#chained++;
        this.#commitWhenIdle();
      }),
    );
  }

  /** Commits the open batch now or, while a transaction runs, when that one ends. */
  #commitWhenIdle(): void {
    if (this.#running) this.#commitDue = true;
    else this.flush();
  }
}

/**
 * Gives each member its own outcome if the batch committed; else those that had succeeded
 * fail with the batch's error, and the others keep their own.
 */
function settle(
  batch: readonly Member[],
  end: { readonly committed: true } | { readonly committed: false; readonly error: unknown },
): void {
  for (const { outcome, resolve, reject } of batch) {
    if (!outcome.ok) reject(outcome.error);
    else if (end.committed) resolve(outcome.value);
    else reject(end.error);
  }
}
