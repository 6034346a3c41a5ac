/**
 * What re-reading the shared settings before each request costs a replica on PostgreSQL: the
 * same requests against two in-process carriers on the same server, one refreshing per
 * request (as replicas do) and one not, in alternating A/B rounds so machine noise hits both
 * sides alike. Prints per-request medians and the median A/B ratio per workload, one client
 * at a time and with concurrent clients (whose refreshes share reads).
 * Run: pnpm --filter @esimlab/carrier bench:shared-state (needs PostgreSQL, as the tests do)
 */
import { openStore } from '@esimlab/store';
import { positiveIntegerEnv } from '@esimlab/test-utils/bench-env';
import {
  dropTestSchemas,
  newSchemaPrefix,
  skipPostgres,
  testPostgresUrl,
} from '@esimlab/test-utils/postgres';
import {
  alternatingRounds,
  BENCH_KEY,
  type BenchCarrier,
  carrierMigrations,
  median,
  startBenchCarrier,
} from './internal/bench-carrier.ts';

const ROUNDS = positiveIntegerEnv('BENCH_ROUNDS', 12);
const REQUESTS_PER_ROUND = positiveIntegerEnv('BENCH_REQUESTS', 120);
const CONCURRENCY = positiveIntegerEnv('BENCH_CONCURRENCY', 8);

interface RefreshCarrier extends BenchCarrier {
  iccid: string;
}

async function startCarrier(refreshPerRequest: boolean, prefix: string): Promise<RefreshCarrier> {
  const store = await openStore({
    kind: 'postgres',
    url: testPostgresUrl,
    schema: `${prefix}_${refreshPerRequest ? 'refresh' : 'plain'}`,
    migrations: carrierMigrations,
  });
  const carrier = await startBenchCarrier(store, { replica: { refreshPerRequest } });
  return { ...carrier, iccid: await carrier.orderEsim() };
}

type Workload = (carrier: RefreshCarrier, i: number) => Promise<void>;

const workloads: Record<string, Workload> = {
  // One store transaction each (the API key lookup), so the refresh's read is most visible.
  'GET /v1/plans': async (c) => {
    await (await fetch(`${c.url}/v1/plans`, { headers: BENCH_KEY })).arrayBuffer();
  },
  'GET /v1/esims/{iccid}': async (c) => {
    await (await fetch(`${c.url}/v1/esims/${c.iccid}`, { headers: BENCH_KEY })).arrayBuffer();
  },
  // A whole payment saga: about ten transactions, the request the load tests send.
  'POST /v1/esims/{iccid}/topups': async (c, i) => {
    const res = await fetch(`${c.url}/v1/esims/${c.iccid}/topups`, {
      method: 'POST',
      headers: {
        ...BENCH_KEY,
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
async function round(c: RefreshCarrier, workload: Workload, clients: number): Promise<number> {
  // A fresh eSIM per round, so a long run does not grow one eSIM's ledger without end.
  c.iccid = await c.orderEsim();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < REQUESTS_PER_ROUND) await workload(c, next++);
    }),
  );
  return performance.now() - started;
}

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
      const { a, b, ratios } = await alternatingRounds(
        ROUNDS,
        () => round(refreshing, workload, clients),
        () => round(plain, workload, clients),
      );
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
