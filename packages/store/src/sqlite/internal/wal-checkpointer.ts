import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Copies the WAL into the database file on a worker thread, off the event loop, and starts
 * the WAL over there too.
 *
 * A checkpoint writes the pages the WAL holds into the database file and fsyncs it. Run by
 * the committing connection (SQLite's autocheckpoint) alone, that blocked the event loop for
 * tens of milliseconds every few thousand commits, and every request in flight waited for it.
 * Here a second connection, on a worker thread, runs a PASSIVE checkpoint (which never blocks
 * the writer) at most every `intervalMs` while commits keep coming.
 *
 * Copying alone never empties the WAL while commits keep coming: SQLite starts it over only
 * when a write transaction begins with every frame already copied. So once the WAL holds
 * `resetPages`, the worker checkpoints back to back, each pass copying what came during the
 * last, until one is short (or eight have run); then write transactions are held back (`hold`)
 * for one last pass, which copies what is left, and the next one to begin starts the WAL over.
 * Writers are held at most `LAST_PASS_LIMIT_MS`, whatever becomes of the worker. The
 * committing connection's own checkpoint, at a higher threshold, is left for when it fails.
 *
 * If the worker fails, the committing connection's checkpoints do all the work, as without it.
 * Durability is SQLite's either way: with `synchronous=NORMAL` on both connections, a
 * checkpoint fsyncs the database file before it counts frames as copied, so the WAL starts over
 * only once what it held is on disk. The worker starts with the first checkpoint asked for, so
 * a store that commits now and then (most tests) never starts a thread.
 */
export class WalCheckpointer {
  readonly #file: string;
  readonly #intervalMs: number;
  readonly #busyTimeoutMs: number;
  readonly #resetPages: number;
  readonly #writers: WriterHold;
  #worker: Worker | undefined;
  /** When the last checkpoint was asked for; the first commit only starts the clock. */
  #lastRequest: number | undefined;
  #running = false;
  #failed = false;
  #exited = false;
  /** Passes run since the WAL reached `resetPages`. */
  #passesTowardReset = 0;
  /** After a last pass that could not copy every frame, the WAL size to try again at. */
  #nextResetAt = 0;
  /** Writers are held back for the last pass; the timer lets them go if it never ends. */
  #holding: NodeJS.Timeout | undefined;
  #resets = 0;

  constructor(
    file: string,
    options: {
      readonly intervalMs: number;
      readonly busyTimeoutMs: number;
      /** WAL pages from which the worker starts the WAL over; 0 never does. */
      readonly resetPages?: number;
      readonly writers?: WriterHold;
    },
  ) {
    this.#file = file;
    this.#intervalMs = options.intervalMs;
    this.#busyTimeoutMs = options.busyTimeoutMs;
    this.#resetPages = options.resetPages ?? 0;
    this.#writers = options.writers ?? { hold: () => Promise.resolve(), release: () => {} };
  }

  /** How often the worker copied the whole WAL with writers held back, so that it started over. */
  get resets(): number {
    return this.#resets;
  }

  /** After each commit: asks for a checkpoint unless one runs or the last was asked for recently. */
  committed(): void {
    if (this.#running || this.#failed) return;
    const now = performance.now();
    if (this.#lastRequest === undefined) {
      this.#lastRequest = now;
      return;
    }
    if (now - this.#lastRequest < this.#intervalMs) return;
    this.#lastRequest = now;
    this.#running = true;
    this.#start().postMessage('checkpoint');
  }

  /** Lets a checkpoint that runs finish, closes the worker's connection and ends the thread. */
  async close(): Promise<void> {
    this.#releaseWriters();
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

  #onPass(pass: CheckpointPass): void {
    if (pass.final) {
      if (pass.busy === 0 && pass.log > 0 && pass.checkpointed === pass.log) {
        this.#resets += 1;
        this.#nextResetAt = 0;
      } else {
        // Something else keeps frames in use (another process reading the file, say): try
        // again only once the WAL has grown as much again, not on every pass.
        this.#nextResetAt = Math.max(pass.log, 0) + this.#resetPages;
      }
      this.#releaseWriters();
      this.#running = false;
      return;
    }
    const worker = this.#worker;
    if (
      worker === undefined ||
      this.#failed ||
      this.#resetPages === 0 ||
      pass.log < Math.max(this.#resetPages, this.#nextResetAt)
    ) {
      this.#passesTowardReset = 0;
      this.#running = false;
      return;
    }
    // Each pass copies what came during the one before: a short one leaves little behind.
    this.#passesTowardReset += 1;
    if (pass.ms > SHORT_PASS_MS && this.#passesTowardReset < MAX_PASSES_TOWARD_RESET) {
      worker.postMessage('checkpoint');
      return;
    }
    this.#passesTowardReset = 0;
    void this.#lastPass(worker);
  }

  async #lastPass(worker: Worker): Promise<void> {
    // Not unref'd: transactions held back are work in flight, which keeps a process alive
    // (the worker itself never does).
    this.#holding = setTimeout(() => this.#releaseWriters(), LAST_PASS_LIMIT_MS);
    await this.#writers.hold();
    if (this.#holding === undefined) {
      // Let go meanwhile (the worker died, the store is closing, or the limit passed).
      this.#running = false;
      return;
    }
    worker.postMessage('final');
  }

  #releaseWriters(): void {
    if (this.#holding === undefined) return;
    clearTimeout(this.#holding);
    this.#holding = undefined;
    this.#writers.release();
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
    worker.on('message', (pass: CheckpointPass) => this.#onPass(pass));
    // The committing connection's own checkpoints carry on alone.
    const stopped = () => {
      this.#failed = true;
      this.#running = false;
      this.#releaseWriters();
    };
    worker.on('error', stopped);
    worker.on('exit', () => {
      this.#exited = true;
      stopped();
    });
    // Never what keeps a process alive; close() holds it while the thread ends.
    worker.unref();
    this.#worker = worker;
    return worker;
  }
}

/** What the store lends the checkpointer: holding its write transactions back, and letting go. */
export interface WriterHold {
  /** Resolves once no write transaction is open; none begins until `release`. */
  hold(): Promise<void>;
  release(): void;
}

/**
 * One checkpoint, as the worker reports it: SQLite's answer to `wal_checkpoint` (busy 1 when
 * it could not run; a failure is reported so) and how long it took.
 */
interface CheckpointPass {
  readonly busy: number;
  readonly log: number;
  readonly checkpointed: number;
  readonly ms: number;
  readonly final: boolean;
}

// A pass this short leaves so little behind that the last one, writers held, is as short.
const SHORT_PASS_MS = 4;
// After this many passes, the last one runs anyway.
const MAX_PASSES_TOWARD_RESET = 8;
// Writers are never held longer than this, whatever became of the worker.
const LAST_PASS_LIMIT_MS = 1000;

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: workerData.busyTimeoutMs });
// Never OFF: a checkpoint must fsync the database file before it counts the frames as copied,
// since the WAL may then start over.
db.pragma('synchronous = NORMAL');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  const started = performance.now();
  let counts = { busy: 1, log: 0, checkpointed: 0 };
  try {
    counts = checkpoint.get();
  } catch {
    // Failing: reported as a busy, empty pass, which asks for nothing more.
  }
  parentPort.postMessage({
    busy: counts.busy,
    log: counts.log,
    checkpointed: counts.checkpointed,
    ms: performance.now() - started,
    final: message === 'final',
  });
});
`;
