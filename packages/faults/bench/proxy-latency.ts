/**
 * What the proxy costs in pass-through: p50 latency of requests sent straight to an HTTP
 * server and through each proxy mode, measured as alternating A/B pairs over kept-alive
 * connections, so drift in the machine's speed hits both sides alike. Budget: under 1 ms
 * added to p50. Everything binds 127.0.0.1; the run stops itself after 30 s.
 *
 *   pnpm --filter @esimlab/faults bench            # 2,000 pairs per mode
 *   PAIRS=500 pnpm --filter @esimlab/faults bench
 */
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { positiveIntegerEnv } from '@esimlab/test-utils/bench-env';
import { ProxyCollection, startFaultProxy } from '../src/proxy/index.ts';

const pairs = positiveIntegerEnv('PAIRS', 2_000);
const warmup = 200;
const budgetMs = 1;
const deadline = setTimeout(() => {
  console.error('proxy-latency: over its 30 s bound; stopping');
  process.exit(2);
}, 30_000);
deadline.unref();

// A carrier-sized JSON answer (a top-up resource is about this big).
const body = JSON.stringify({
  id: 'tu_01HZX3K6Y8QWERTY12345',
  iccid: '8901260123456789012',
  status: 'succeeded',
  dataBytes: 5_368_709_120,
  priceMinor: 1500,
  currency: 'USD',
  createdAt: '2025-01-01T00:00:00.000Z',
});
const upstream = createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
});
await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
const upstreamAddress = `127.0.0.1:${(upstream.address() as AddressInfo).port}`;

const tcp = new ProxyCollection();
const tcpProxy = await tcp.create({
  name: 'bench',
  listen: { host: '127.0.0.1', port: 0 },
  upstream: { host: '127.0.0.1', port: (upstream.address() as AddressInfo).port },
  enabled: true,
});
const rules = await startFaultProxy({ upstream: upstreamAddress });
const layered = await startFaultProxy({ upstream: upstreamAddress, adminPort: 0 });

/** One sequential client per target: one kept-alive connection, as a backend's pool would reuse. */
function client(address: string): () => Promise<number> {
  const [host, port] = [
    address.slice(0, address.lastIndexOf(':')),
    Number(address.split(':').pop()),
  ];
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return () =>
    new Promise((resolve, reject) => {
      const start = performance.now();
      const req = request({ host, port, path: '/v1/topups/tu_1', agent }, (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(performance.now() - start));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

interface Comparison {
  readonly mode: string;
  readonly directP50Ms: number;
  readonly proxyP50Ms: number;
  readonly addedP50Ms: number;
  readonly medianPairRatio: number;
}

async function compare(mode: string, proxied: string): Promise<Comparison> {
  const direct = client(upstreamAddress);
  const through = client(proxied);
  for (let i = 0; i < warmup; i++) {
    await direct();
    await through();
  }
  const directMs: number[] = [];
  const proxyMs: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < pairs; i++) {
    // Alternate which side goes first, so neither always gets the warmer path.
    let d: number;
    let p: number;
    if (i % 2 === 0) {
      d = await direct();
      p = await through();
    } else {
      p = await through();
      d = await direct();
    }
    directMs.push(d);
    proxyMs.push(p);
    ratios.push(p / d);
  }
  const directP50Ms = median(directMs);
  const proxyP50Ms = median(proxyMs);
  return {
    mode,
    directP50Ms,
    proxyP50Ms,
    addedP50Ms: proxyP50Ms - directP50Ms,
    medianPairRatio: median(ratios),
  };
}

const started = performance.now();
const results = [
  await compare('tcp (Toxiproxy proxy, no toxics)', tcpProxy.listen),
  await compare('http rules (startFaultProxy, no rules)', rules.listen),
  await compare('http rules behind tcp (adminPort set)', layered.listen),
];
const fmt = (ms: number): string => ms.toFixed(3);
console.log(
  `proxy-latency: ${pairs} alternating pairs per mode after ${warmup} warm-up pairs, node ${process.version}, ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
console.log(
  'mode                                     direct p50  proxy p50  added p50  median ratio',
);
for (const r of results) {
  console.log(
    `${r.mode.padEnd(40)} ${fmt(r.directP50Ms).padStart(9)}  ${fmt(r.proxyP50Ms).padStart(9)}  ${fmt(r.addedP50Ms).padStart(9)}  ${r.medianPairRatio.toFixed(2).padStart(12)}`,
  );
}
const over = results.filter((r) => r.addedP50Ms >= budgetMs);
console.log(
  over.length === 0
    ? `within budget: every mode adds under ${budgetMs} ms to p50`
    : `OVER BUDGET (${budgetMs} ms): ${over.map((r) => r.mode).join(', ')}`,
);

await Promise.all([rules.close(), layered.close(), tcp.close()]);
await new Promise<void>((resolve) => {
  upstream.close(() => resolve());
  upstream.closeAllConnections();
});
clearTimeout(deadline);
process.exitCode = over.length === 0 ? 0 : 1;
