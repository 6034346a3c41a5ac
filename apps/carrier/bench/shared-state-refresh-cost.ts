/**
 * What re-reading the shared settings before each request costs a replica on PostgreSQL: the
 * same requests against two in-process carriers on the same server, one refreshing per
 * request (as replicas do) and one not, in alternating A/B rounds so machine noise hits both
 * sides alike. Prints per-request medians and the median A/B ratio per workload, one client
 * at a time and with concurrent clients (whose refreshes share reads).
 * Run: pnpm --filter @esimlab/carrier bench:shared-state (needs PostgreSQL, as the tests do)
 */
import type { AddressInfo } from 'node:net';
import { openStore } from '@esimlab/store';
import {
  dropTestSchemas,
  newSchemaPrefix,
  skipPostgres,
  testPostgresUrl,
} from '@esimlab/test-utils/postgres';
import { carrierMigrations, createCarrierApp } from '../src/index.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 12);
const REQUESTS_PER_ROUND = Number(process.env.BENCH_REQUESTS ?? 120);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const KEY = { authorization: 'Bearer sk_test_esimlab' };

interface BenchCarrier {
  readonly url: string;
  iccid: string;
  /** Orders a fresh eSIM, so a long run does not grow one eSIM's ledger without end. */
  renew(): Promise<void>;
  close(): Promise<void>;
}

async function startCarrier(refreshPerRequest: boolean, prefix: string): Promise<BenchCarrier> {
  const store = await openStore({
    kind: 'postgres',
    url: testPostgresUrl,
    schema: `${prefix}_${refreshPerRequest ? 'refresh' : 'plain'}`,
    migrations: carrierMigrations,
  });
  const carrier = await createCarrierApp({
    carrier: 'att',
    store,
    seed: 1,
    replica: { refreshPerRequest },
  });
  const server = carrier.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const orderEsim = async () => {
    const order = await fetch(`${url}/v1/esims`, {
      method: 'POST',
      headers: { ...KEY, 'content-type': 'application/json' },
      body: JSON.stringify({
        planId: 'att-prepaid-16gb',
        paymentMethod: 'pm_card_visa',
        subscriber: { name: 'Bench', email: 'bench@example.com', timeZone: 'America/New_York' },
      }),
    });
    return ((await order.json()) as { iccid: string }).iccid;
  };
  const bench: BenchCarrier = {
    url,
    iccid: await orderEsim(),
    async renew() {
      bench.iccid = await orderEsim();
    },
    async close() {
      await carrier.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
  return bench;
}

type Workload = (carrier: BenchCarrier, i: number) => Promise<void>;

const workloads: Record<string, Workload> = {
  // One store transaction each (the API key lookup), so the refresh's read is most visible.
  'GET /v1/plans': async (c) => {
    await (await fetch(`${c.url}/v1/plans`, { headers: KEY })).arrayBuffer();
  },
  'GET /v1/esims/{iccid}': async (c) => {
    await (await fetch(`${c.url}/v1/esims/${c.iccid}`, { headers: KEY })).arrayBuffer();
  },
  // A whole payment saga: about ten transactions, the request the load tests send.
  'POST /v1/esims/{iccid}/topups': async (c, i) => {
    const res = await fetch(`${c.url}/v1/esims/${c.iccid}/topups`, {
      method: 'POST',
      headers: {
        ...KEY,
        'content-type': 'application/json',
        'idempotency-key': `bench-${process.pid}-${Date.now()}-${i}`,
      },
      body: JSON.stringify({ planId: 'att-boost-2gb', paymentMethod: 'pm_card_visa' }),
    });
    if (res.status !== 201) throw new Error(`top-up: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  },
};

/** Milliseconds for one round of `REQUESTS_PER_ROUND` requests, `clients` at a time. */
async function round(c: BenchCarrier, workload: Workload, clients: number): Promise<number> {
  await c.renew();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < REQUESTS_PER_ROUND) await workload(c, next++);
    }),
  );
  return performance.now() - started;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

if (skipPostgres) process.exit(1);
const prefix = newSchemaPrefix();
const refreshing = await startCarrier(true, prefix);
const plain = await startCarrier(false, prefix);
try {
  console.log(
    `shared-state refresh: A = refresh per request, B = none; ${ROUNDS} alternating rounds of ${REQUESTS_PER_ROUND} requests`,
  );
  for (const [name, workload] of Object.entries(workloads)) {
    for (const clients of [1, CONCURRENCY]) {
      await round(refreshing, workload, clients);
      await round(plain, workload, clients);
      const a: number[] = [];
      const b: number[] = [];
      const ratios: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        // Alternate which side goes first, so warm-up and drift favour neither.
        const [ta, tb] =
          r % 2 === 0
            ? [await round(refreshing, workload, clients), await round(plain, workload, clients)]
            : await round(plain, workload, clients).then(async (tb2) => [
                await round(refreshing, workload, clients),
                tb2,
              ]);
        a.push(ta as number);
        b.push(tb as number);
        ratios.push((ta as number) / (tb as number));
      }
      const perRequest = (ms: number) => ((ms / REQUESTS_PER_ROUND) * 1000).toFixed(0);
      console.log(
        `${name.padEnd(30)} clients ${String(clients).padStart(2)}: A ${perRequest(median(a)).padStart(6)} µs/request, B ${perRequest(median(b)).padStart(6)} µs/request, median A/B ${median(ratios).toFixed(3)}`,
      );
    }
  }
} finally {
  await refreshing.close();
  await plain.close();
  await dropTestSchemas();
}
