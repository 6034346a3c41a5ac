import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Copies the WAL into the database file on a worker thread, off the event loop.
 *
 * A checkpoint writes the pages the WAL holds into the database file and fsyncs it. Run by
 * the committing connection (SQLite's autocheckpoint) alone, that blocked the event loop for
 * tens of milliseconds every few thousand commits, and every request in flight waited for it.
 * Here a second connection, on a worker thread, runs a PASSIVE checkpoint (which never blocks
 * the writer) at most every `intervalMs` while commits keep coming. When the WAL reaches the
 * autocheckpoint threshold, the committing connection finds nearly all of it copied and
 * synced, so its own checkpoint, still the one after which the WAL starts over, is short.
 *
 * How much that checkpoint finds left is what the worker has not copied yet: up to an interval's
 * worth of commits, and its fsync stalled the event loop for 10 ms or more about once a second
 * at 1,000 top-ups/s. So once the WAL nears that size (`hurryAtFrames`, reported by the
 * worker's last checkpoint), checkpoints run back to back, without waiting for the interval:
 * the committing connection's own then finds only the last few milliseconds to copy.
 *
 * The worker only works ahead: if it fails, the committing connection's checkpoints do all the
 * work, as without it. Durability never depends on it (WAL with `synchronous=NORMAL` keeps each
 * commit either way). It starts with the first checkpoint asked for, so a store that commits
 * now and then (most tests) never starts a thread.
 */
export class WalCheckpointer {
  readonly #file: string;
  readonly #intervalMs: number;
  readonly #hurryAtFrames: number;
  readonly #busyTimeoutMs: number;
  /** The WAL's size, in frames, when the worker's last checkpoint looked. */
  #walFrames = 0;
  #completed = 0;
  #worker: Worker | undefined;
  /** When the last checkpoint was asked for; the first commit only starts the clock. */
  #lastRequest: number | undefined;
  #running = false;
  #failed = false;
  #exited = false;

  constructor(
    file: string,
    options: {
      readonly intervalMs: number;
      readonly busyTimeoutMs: number;
      /** From this WAL size on, in frames, checkpoints run as soon as asked; default never. */
      readonly hurryAtFrames?: number;
    },
  ) {
    this.#file = file;
    this.#intervalMs = options.intervalMs;
    this.#hurryAtFrames = options.hurryAtFrames ?? Number.POSITIVE_INFINITY;
    this.#busyTimeoutMs = options.busyTimeoutMs;
  }

  /** How many checkpoints the worker has finished. */
  get completed(): number {
    return this.#completed;
  }

  /** After each commit: asks for a checkpoint unless one runs or the last was asked for recently. */
  committed(): void {
    if (this.#running || this.#failed) return;
    const now = performance.now();
    if (this.#lastRequest === undefined) {
      this.#lastRequest = now;
      return;
    }
    const wait = this.#walFrames >= this.#hurryAtFrames ? 0 : this.#intervalMs;
    if (now - this.#lastRequest < wait) return;
    this.#lastRequest = now;
    this.#running = true;
    this.#start().postMessage('checkpoint');
  }

  /** Lets a checkpoint that runs finish, closes the worker's connection and ends the thread. */
  async close(): Promise<void> {
    const worker = this.#worker;
    if (worker === undefined) return;
    this.#worker = undefined;
    this.#failed = true;
    if (this.#exited) return;
    // Held open until the thread ends, or the process could exit with the worker mid-close.
    worker.ref();
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('close');
    await exited;
  }

  #start(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    // Plain JavaScript evaluated in the worker: it runs the same under tsx, vitest and node.
    const worker = new Worker(workerSource, {
      eval: true,
      workerData: {
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        file: this.#file,
        busyTimeoutMs: this.#busyTimeoutMs,
      },
      // A checkpoint needs little of V8; keep the thread's heap small.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    });
    // [busy, frames in the WAL, frames checkpointed], as `PRAGMA wal_checkpoint` returns them.
    worker.on('message', (result: unknown) => {
      this.#running = false;
      this.#completed += 1;
      const frames = Array.isArray(result) ? Number(result[1]) : Number.NaN;
      this.#walFrames = Number.isFinite(frames) ? frames : 0;
    });
    // The committing connection's own checkpoints carry on alone.
    worker.on('error', () => {
      this.#failed = true;
      this.#running = false;
    });
    worker.on('exit', () => {
      this.#exited = true;
      this.#failed = true;
      this.#running = false;
    });
    // Never what keeps a process alive; close() holds it while the thread ends.
    worker.unref();
    this.#worker = worker;
    return worker;
  }
}

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: workerData.busyTimeoutMs });
db.pragma('synchronous = NORMAL');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)').raw();
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  parentPort.postMessage(checkpoint.get());
});
`;
