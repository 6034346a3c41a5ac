/**
 * What the fault middleware costs a carrier when no rule is armed: the same requests
 * against two in-process carriers, one with the middleware and one without, measured as
 * alternating A/B rounds so machine noise hits both sides alike. Prints the median ratio.
 * Run: pnpm --filter @esimlab/carrier bench
 */
import { openMemoryStore } from '@esimlab/store';
import { positiveIntegerEnv } from '@esimlab/test-utils/bench-env';
import {
  alternatingRounds,
  BENCH_KEY,
  carrierMigrations,
  median,
  startBenchCarrier,
} from './internal/bench-carrier.ts';

const ROUNDS = positiveIntegerEnv('BENCH_ROUNDS', 30);
const REQUESTS_PER_ROUND = positiveIntegerEnv('BENCH_REQUESTS', 200);

const startCarrier = async (faultInjection: boolean) =>
  startBenchCarrier(await openMemoryStore({ migrations: carrierMigrations }), { faultInjection });

/** Milliseconds for one round: plan listings and eSIM reads, one after another. */
async function round(url: string, iccid: string): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < REQUESTS_PER_ROUND; i++) {
    const path = i % 2 === 0 ? '/v1/plans' : `/v1/esims/${iccid}`;
    const res = await fetch(`${url}${path}`, { headers: BENCH_KEY });
    await res.arrayBuffer();
  }
  return performance.now() - started;
}

const withFaults = await startCarrier(true);
const without = await startCarrier(false);
try {
  const iccidA = await withFaults.orderEsim();
  const iccidB = await without.orderEsim();
  const { a, b, ratios } = await alternatingRounds(
    ROUNDS,
    () => round(withFaults.url, iccidA),
    () => round(without.url, iccidB),
    (done) => process.stdout.write(`\rround ${done}/${ROUNDS}`),
  );
  const perRequest = (ms: number) => ((ms / REQUESTS_PER_ROUND) * 1000).toFixed(0);
  console.log(
    `\nfault middleware, no rules armed: median ${perRequest(median(a))} µs/request with, ${perRequest(median(b))} µs/request without; median A/B time ratio ${median(ratios).toFixed(3)} (${((median(ratios) - 1) * 100).toFixed(1)} % cost) over ${ROUNDS} alternating rounds of ${REQUESTS_PER_ROUND} requests`,
  );
} finally {
  await withFaults.close();
  await without.close();
}
