/**
 * What starting the WAL over costs the event loop: the same paced write load (purchases of four
 * transactions, arriving at a fixed rate) against a store whose worker starts the WAL over
 * (`walResetPages`, the default) and one that leaves it to the committing connection's own
 * checkpoint at `walCheckpointPages`, in alternating rounds so machine noise hits both alike.
 * Prints each purchase's latency (p50, p99, p99.9, max), the event loop's longest gaps, the
 * WAL file's largest size and the BEGIN/COMMIT statements that held the event loop over 3 ms.
 * Run: pnpm --filter @esimlab/store bench:wal   (about 2 minutes; BENCH_RATE, BENCH_ROUND_MS,
 * BENCH_ROUNDS change the rate in purchases/s, the round's length and the number of pairs)
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { positiveIntegerEnv } from '@esimlab/test-utils/bench-env';
import Database from 'better-sqlite3';
import { openSqliteStore, type Store } from '../src/index.ts';
import {
  type Charge,
  charges,
  events,
  migrations,
  orderedKey,
} from './internal/purchase-schema.ts';

const RATE = positiveIntegerEnv('BENCH_RATE', 1500);
const ROUND_MS = positiveIntegerEnv('BENCH_ROUND_MS', 12_000);
const ROUNDS = positiveIntegerEnv('BENCH_ROUNDS', 3);
const SUBSCRIBERS = 200;
const SLOW_STATEMENT_MS = 3;

// The BEGIN IMMEDIATE and COMMIT statements of every store in this process, timed: the
// checkpoint a commit runs, and a write lock waited for, show up here.
const slowStatements: number[] = [];
{
  const probe = new Database(':memory:');
  const statement = Object.getPrototypeOf(probe.prepare('SELECT 1')) as {
    run: (this: Database.Statement, ...args: unknown[]) => Database.RunResult;
  };
  probe.close();
  const run = statement.run;
  statement.run = function timed(...args) {
    if (this.source !== 'COMMIT' && this.source !== 'BEGIN IMMEDIATE') return run.apply(this, args);
    const started = performance.now();
    try {
      return run.apply(this, args);
    } finally {
      const ms = performance.now() - started;
      if (ms > SLOW_STATEMENT_MS) slowStatements.push(ms);
    }
  };
}

/** A purchase's writes: authorize, journal and capture, record the reply, read it back. */
async function purchase(store: Store, n: number): Promise<void> {
  const iccid = `89010000000000${String(n % SUBSCRIBERS).padStart(5, '0')}`;
  const id = orderedKey('ch');
  const charge: Charge = {
    id,
    tenantId: 'dev',
    iccid,
    status: 'authorized',
    createdAt: Date.now(),
    note: 'x'.repeat(200),
  };
  await store.transaction((tx) => tx.insert(charges, charge));
  await store.transaction(async (tx) => {
    for (const type of ['charge.authorized', 'data.credited', 'charge.captured']) {
      const seq = await tx.nextInSequence(events, 'seq');
      const data = { id, detail: 'y'.repeat(300) };
      await tx.insert(events, { id: orderedKey('evt'), seq, type, iccid, data });
    }
    await tx.update(charges, { ...charge, status: 'captured' });
  });
  await store.transaction((tx) =>
    tx.update(charges, { ...charge, status: 'captured', note: 'z'.repeat(200) }),
  );
  await store.transaction((tx) => tx.get(charges, id));
}

interface Round {
  readonly latencies: number[];
  readonly loopGaps: number[];
  readonly walBytes: number;
  readonly slow: number[];
}

async function round(file: string, walResetPages: number | undefined): Promise<Round> {
  const store = await openSqliteStore({
    file,
    migrations,
    ...(walResetPages === undefined ? {} : { walResetPages }),
  });
  const latencies: number[] = [];
  const loopGaps: number[] = [];
  let walBytes = 0;
  slowStatements.length = 0;
  const walSize = setInterval(() => {
    walBytes = Math.max(walBytes, statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0);
  }, 20);
  let lastTick = performance.now();
  const loop = setInterval(() => {
    const now = performance.now();
    loopGaps.push(now - lastTick);
    lastTick = now;
  }, 1);
  const started = performance.now();
  const purchases: Promise<void>[] = [];
  await new Promise<void>((done) => {
    const pace = setInterval(() => {
      const elapsed = performance.now() - started;
      if (elapsed >= ROUND_MS) {
        clearInterval(pace);
        done();
        return;
      }
      while (purchases.length < Math.floor((elapsed / 1000) * RATE)) {
        const at = performance.now();
        purchases.push(
          purchase(store, purchases.length).then(() => {
            latencies.push(performance.now() - at);
          }),
        );
      }
    }, 1);
  });
  await Promise.all(purchases);
  clearInterval(walSize);
  clearInterval(loop);
  await store.close();
  rmSync(file, { force: true });
  rmSync(`${file}-wal`, { force: true });
  rmSync(`${file}-shm`, { force: true });
  return { latencies, loopGaps, walBytes, slow: [...slowStatements] };
}

const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;
const ms = (value: number) => value.toFixed(1).padStart(6);

function describe(name: string, result: Round): string {
  const latencies = [...result.latencies].sort((a, b) => a - b);
  const gaps = [...result.loopGaps].sort((a, b) => a - b);
  const slowMs = result.slow.reduce((sum, value) => sum + value, 0);
  return [
    `  ${name.padEnd(34)}`,
    `p50 ${ms(quantile(latencies, 0.5))}  p99 ${ms(quantile(latencies, 0.99))}`,
    `p99.9 ${ms(quantile(latencies, 0.999))}  max ${ms(latencies.at(-1) ?? 0)} ms;`,
    `loop gap max ${ms(gaps.at(-1) ?? 0)} ms;`,
    `WAL ${Math.round(result.walBytes / 1e6)} MB;`,
    `BEGIN/COMMIT > ${SLOW_STATEMENT_MS} ms: ${result.slow.length} (${Math.round(slowMs)} ms, longest ${Math.max(0, ...result.slow).toFixed(1)})`,
  ].join(' ');
}

const variants = [
  { name: 'the worker starts the WAL over', walResetPages: undefined },
  { name: "the commit's own checkpoint", walResetPages: 0 },
] as const;

const root = mkdtempSync(join(tmpdir(), 'esimlab-wal-restart-'));
try {
  process.stdout.write(
    `${RATE} purchases/s (4 transactions each) for ${ROUND_MS / 1000} s per round; ${ROUNDS} pairs of rounds, alternating\n`,
  );
  for (let pair = 1; pair <= ROUNDS; pair++) {
    process.stdout.write(`pair ${pair}/${ROUNDS}\n`);
    const order = pair % 2 === 1 ? variants : [...variants].reverse();
    for (const variant of order) {
      const result = await round(join(root, `pair-${pair}.sqlite`), variant.walResetPages);
      process.stdout.write(`${describe(variant.name, result)}\n`);
    }
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
