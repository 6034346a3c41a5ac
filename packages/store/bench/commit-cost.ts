/**
 * What a SQLite commit costs the store, and what group commit and time-ordered keys save: the
 * same workload (50 concurrent clients, each running a purchase's three transactions over and
 * over: insert a charge; read it, journal two events and capture it; read it back) against four
 * stores, in alternating rounds so machine noise hits all alike. Prints transactions/s and CPU
 * per transaction, each as a ratio to one commit per transaction with random keys.
 * Run: pnpm --filter @esimlab/store bench   (about 40 s)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { positiveIntegerEnv } from '@esimlab/test-utils/bench-env';
import { defineCollection, type Migration, openSqliteStore, type Store } from '../src/index.ts';

const CLIENTS = 50;
const ROUNDS = positiveIntegerEnv('BENCH_ROUNDS', 3);
const ROUND_MS = positiveIntegerEnv('BENCH_ROUND_MS', 3_000);
/** Documents each store holds before measuring, so keys spread over many index pages. */
const PRELOAD = 50_000;
const SUBSCRIBERS = 200;

interface Charge {
  readonly id: string;
  readonly tenantId: string;
  readonly iccid: string;
  readonly status: 'authorized' | 'captured';
  readonly createdAt: number;
  readonly note: string;
}

interface JournalEvent {
  readonly id: string;
  readonly seq: number;
  readonly type: string;
  readonly iccid: string;
  readonly data: Readonly<Record<string, unknown>>;
}

const charges = defineCollection<Charge>({
  name: 'charges',
  primaryKey: 'id',
  indexed: ['tenantId', 'iccid', 'status', 'createdAt'],
});
const events = defineCollection<JournalEvent>({
  name: 'events',
  primaryKey: 'id',
  unique: [['seq']],
  indexed: ['type', 'iccid'],
});
const migrations: readonly Migration[] = [
  { version: 1, name: 'charges and events', collections: [charges, events] },
  { version: 2, name: 'event numbers', sequences: [{ collection: 'events', field: 'seq' }] },
];

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';

interface Variant {
  readonly name: string;
  readonly maxTransactionsPerCommit: number;
  readonly key: (prefix: string) => string;
}

const randomChars = (length: number) => {
  let chars = '';
  for (let i = 0; i < length; i++) chars += alphabet[Math.floor(Math.random() * alphabet.length)];
  return chars;
};
const randomKey = (prefix: string) => `${prefix}_${randomChars(20)}`;
let lastMs = 0;
let sameMs = 0;
/** Time first, then a counter and random characters: appends to the primary-key index. */
const orderedKey = (prefix: string) => {
  const now = Date.now();
  sameMs = now === lastMs ? sameMs + 1 : 0;
  lastMs = now;
  return `${prefix}_${now.toString(36).padStart(9, '0')}${sameMs.toString(36).padStart(4, '0')}${randomChars(7)}`;
};

const variants: readonly Variant[] = [
  { name: 'one commit each, random keys', maxTransactionsPerCommit: 1, key: randomKey },
  { name: 'group commit, random keys', maxTransactionsPerCommit: 64, key: randomKey },
  { name: 'one commit each, time-ordered keys', maxTransactionsPerCommit: 1, key: orderedKey },
  { name: 'group commit, time-ordered keys', maxTransactionsPerCommit: 64, key: orderedKey },
];

async function purchase(store: Store, variant: Variant, client: number): Promise<void> {
  const iccid = `89010000000000${String(client % SUBSCRIBERS).padStart(5, '0')}`;
  const id = variant.key('ch');
  await store.transaction((tx) =>
    tx.insert(charges, {
      id,
      tenantId: 'dev',
      iccid,
      status: 'authorized',
      createdAt: Date.now(),
      note: 'x'.repeat(200),
    }),
  );
  await store.transaction(async (tx) => {
    const charge = await tx.get(charges, id);
    if (charge === undefined) throw new Error(`charge ${id} vanished`);
    for (const type of ['charge.captured', 'topup.succeeded']) {
      const seq = await tx.nextInSequence(events, 'seq');
      await tx.insert(events, { id: variant.key('evt'), seq, type, iccid, data: { id } });
    }
    await tx.update(charges, { ...charge, status: 'captured' });
  });
  await store.transaction((tx) => tx.get(charges, id));
}

async function preload(store: Store, variant: Variant): Promise<void> {
  for (let done = 0; done < PRELOAD; done += 1_000) {
    await store.transaction(async (tx) => {
      for (let i = 0; i < 1_000; i++) {
        await tx.insert(charges, {
          id: variant.key('ch'),
          tenantId: 'dev',
          iccid: `89010000000000${String(i % SUBSCRIBERS).padStart(5, '0')}`,
          status: 'captured',
          createdAt: Date.now(),
          note: 'x'.repeat(200),
        });
      }
    });
  }
}

interface RoundResult {
  readonly transactionsPerSecond: number;
  readonly cpuMicrosPerTransaction: number;
}

async function measure(store: Store, variant: Variant): Promise<RoundResult> {
  let transactions = 0;
  const stopAt = performance.now() + ROUND_MS;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      while (performance.now() < stopAt) {
        await purchase(store, variant, client);
        transactions += 3;
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    transactionsPerSecond: (transactions / elapsedMs) * 1000,
    cpuMicrosPerTransaction: (cpu.user + cpu.system) / transactions,
  };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

const root = mkdtempSync(join(tmpdir(), 'esimlab-commit-cost-'));
try {
  const stores: Store[] = [];
  for (const [index, variant] of variants.entries()) {
    const store = await openSqliteStore({
      file: join(root, `variant-${index}.sqlite`),
      migrations,
      maxTransactionsPerCommit: variant.maxTransactionsPerCommit,
    });
    process.stdout.write(`preloading ${PRELOAD} charges: ${variant.name}\n`);
    await preload(store, variant);
    stores.push(store);
  }
  const results = variants.map(() => [] as RoundResult[]);
  for (let round = 1; round <= ROUNDS; round++) {
    process.stdout.write(`round ${round}/${ROUNDS}\n`);
    // Alternate the order so no variant always runs first or last.
    const order = variants.map((_, index) => index);
    if (round % 2 === 0) order.reverse();
    for (const index of order) {
      const result = await measure(stores[index] as Store, variants[index] as Variant);
      results[index]?.push(result);
      process.stdout.write(
        `  ${(variants[index] as Variant).name.padEnd(36)} ${Math.round(result.transactionsPerSecond).toString().padStart(6)} tx/s  ${result.cpuMicrosPerTransaction.toFixed(0).padStart(4)} µs CPU/tx\n`,
      );
    }
  }
  for (const store of stores) await store.close();

  const rate = results.map((rounds) => median(rounds.map((r) => r.transactionsPerSecond)));
  const cpu = results.map((rounds) => median(rounds.map((r) => r.cpuMicrosPerTransaction)));
  const [baseRate, baseCpu] = [rate[0] as number, cpu[0] as number];
  process.stdout.write(
    `\nmedians of ${ROUNDS} rounds, ${CLIENTS} clients, ${ROUND_MS / 1000} s each; ratios to the first\n`,
  );
  process.stdout.write(`${'variant'.padEnd(36)}   tx/s   ×   µs CPU/tx   ×\n`);
  for (const [index, variant] of variants.entries()) {
    const r = rate[index] as number;
    const c = cpu[index] as number;
    process.stdout.write(
      `${variant.name.padEnd(36)} ${Math.round(r).toString().padStart(6)} ${(r / baseRate).toFixed(2).padStart(5)} ${c.toFixed(0).padStart(8)} ${(c / baseCpu).toFixed(2).padStart(6)}\n`,
    );
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
