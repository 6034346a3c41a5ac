/**
 * What the fault middleware costs a carrier when no rule is armed: the same requests
 * against two in-process carriers, one with the middleware and one without, measured as
 * alternating A/B rounds so machine noise hits both sides alike. Prints the median ratio.
 * Run: pnpm --filter @esimlab/carrier bench
 */
import type { AddressInfo } from 'node:net';
import { openMemoryStore } from '@esimlab/store';
import { carrierMigrations, createCarrierApp } from '../src/index.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const REQUESTS_PER_ROUND = Number(process.env.BENCH_REQUESTS ?? 200);
const KEY = { authorization: 'Bearer sk_test_esimlab' };

async function startCarrier(
  faultInjection: boolean,
): Promise<{ url: string; close(): Promise<void> }> {
  const store = await openMemoryStore({ migrations: carrierMigrations });
  const carrier = await createCarrierApp({ carrier: 'att', store, seed: 1, faultInjection });
  const server = carrier.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async close() {
      await carrier.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

async function orderEsim(url: string): Promise<string> {
  const res = await fetch(`${url}/v1/esims`, {
    method: 'POST',
    headers: { ...KEY, 'content-type': 'application/json' },
    body: JSON.stringify({
      planId: 'att-prepaid-16gb',
      paymentMethod: 'pm_card_visa',
      subscriber: { name: 'Bench', email: 'bench@example.com', timeZone: 'America/New_York' },
    }),
  });
  return ((await res.json()) as { iccid: string }).iccid;
}

/** Milliseconds for one round: plan listings and eSIM reads, one after another. */
async function round(url: string, iccid: string): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < REQUESTS_PER_ROUND; i++) {
    const path = i % 2 === 0 ? '/v1/plans' : `/v1/esims/${iccid}`;
    const res = await fetch(`${url}${path}`, { headers: KEY });
    await res.arrayBuffer();
  }
  return performance.now() - started;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

const withFaults = await startCarrier(true);
const without = await startCarrier(false);
try {
  const iccidA = await orderEsim(withFaults.url);
  const iccidB = await orderEsim(without.url);
  await round(withFaults.url, iccidA);
  await round(without.url, iccidB);
  const ratios: number[] = [];
  const timesA: number[] = [];
  const timesB: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which side goes first, so warm-up and drift favour neither.
    const [a, b] =
      r % 2 === 0
        ? [await round(withFaults.url, iccidA), await round(without.url, iccidB)]
        : await round(without.url, iccidB).then(async (b2) => [
            await round(withFaults.url, iccidA),
            b2,
          ]);
    timesA.push(a as number);
    timesB.push(b as number);
    ratios.push((a as number) / (b as number));
    process.stdout.write(`\rround ${r + 1}/${ROUNDS}`);
  }
  const perRequest = (ms: number) => ((ms / REQUESTS_PER_ROUND) * 1000).toFixed(0);
  console.log(
    `\nfault middleware, no rules armed: median ${perRequest(median(timesA))} µs/request with, ${perRequest(median(timesB))} µs/request without; median A/B time ratio ${median(ratios).toFixed(3)} (${((median(ratios) - 1) * 100).toFixed(1)} % cost) over ${ROUNDS} alternating rounds of ${REQUESTS_PER_ROUND} requests`,
  );
} finally {
  await withFaults.close();
  await without.close();
}
