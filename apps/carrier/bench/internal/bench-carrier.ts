import type { AddressInfo } from 'node:net';
import type { Store } from '@esimlab/store';
import { type CarrierAppOptions, createCarrierApp } from '../../src/index.ts';

export { carrierMigrations } from '../../src/index.ts';

/** The API key every carrier seeds for the `dev` tenant. */
export const BENCH_KEY = { authorization: 'Bearer sk_test_esimlab' };

export interface BenchCarrier {
  readonly url: string;
  /** Orders an eSIM on a base plan and returns its ICCID. */
  orderEsim(): Promise<string>;
  close(): Promise<void>;
}

/**
 * An in-process `att` carrier listening on a free port of 127.0.0.1, on `store` (closed with
 * it); the other app options as given.
 */
export async function startBenchCarrier(
  store: Store,
  options: Omit<CarrierAppOptions, 'carrier' | 'store'> = {},
): Promise<BenchCarrier> {
  const carrier = await createCarrierApp({ carrier: 'att', store, seed: 1, ...options });
  const server = carrier.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async orderEsim() {
      const res = await fetch(`${url}/v1/esims`, {
        method: 'POST',
        headers: { ...BENCH_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({
          planId: 'att-prepaid-16gb',
          paymentMethod: 'pm_card_visa',
          subscriber: { name: 'Bench', email: 'bench@example.com', timeZone: 'America/New_York' },
        }),
      });
      if (res.status !== 201)
        throw new Error(`ordering an eSIM: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { iccid: string }).iccid;
    },
    async close() {
      await carrier.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

export interface AlternatingRounds {
  /** Each side's round times in ms, and A's over B's per pair of rounds. */
  readonly a: readonly number[];
  readonly b: readonly number[];
  readonly ratios: readonly number[];
}

/**
 * Times `rounds` pairs of rounds of A and B after one warm-up round each, alternating which
 * side goes first so warm-up and drift favour neither.
 */
export async function alternatingRounds(
  rounds: number,
  roundA: () => Promise<number>,
  roundB: () => Promise<number>,
  progress?: (done: number) => void,
): Promise<AlternatingRounds> {
  await roundA();
  await roundB();
  const a: number[] = [];
  const b: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let ta: number;
    let tb: number;
    if (r % 2 === 0) {
      ta = await roundA();
      tb = await roundB();
    } else {
      tb = await roundB();
      ta = await roundA();
    }
    a.push(ta);
    b.push(tb);
    ratios.push(ta / tb);
    progress?.(r + 1);
  }
  return { a, b, ratios };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
