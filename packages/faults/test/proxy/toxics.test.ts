import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import {
  type ICreateToxicBody,
  Toxiproxy,
  type Proxy as ToxiproxyProxy,
} from 'toxiproxy-node-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startToxiproxyServer, type ToxiproxyServer } from '../../src/proxy/index.ts';
import {
  exchange,
  patternBody,
  responseBody,
  sha256,
  splitListen,
  startTestUpstream,
  type TestUpstream,
} from './support/servers.ts';

// Each toxic, created through the real toxiproxy-node-client, observed from a real client.

let upstream: TestUpstream;
let server: ToxiproxyServer;
let toxiproxy: Toxiproxy;
let proxy: ToxiproxyProxy;

beforeAll(async () => {
  upstream = await startTestUpstream();
  server = await startToxiproxyServer({ port: 0, seed: 7 });
  toxiproxy = new Toxiproxy(server.url);
});

afterAll(async () => {
  await server.close();
  await upstream.close();
});

afterEach(async () => {
  for (const open of Object.values(await toxiproxy.getAll())) await open.remove();
});

async function proxyWith<T>(
  type: ICreateToxicBody<T>['type'],
  attributes: T,
  options: { stream?: 'upstream' | 'downstream'; toxicity?: number } = {},
): Promise<ToxiproxyProxy> {
  proxy = await toxiproxy.createProxy({
    name: `up-${type}`,
    listen: '127.0.0.1:0',
    upstream: upstream.address,
  });
  await proxy.addToxic<T>({
    name: `${type}_test`,
    type,
    stream: options.stream ?? 'downstream',
    toxicity: options.toxicity ?? 1,
    attributes,
  });
  return proxy;
}

describe('toxics, as a client sees them', () => {
  it('passes requests and responses through unchanged without toxics', async () => {
    proxy = await toxiproxy.createProxy({
      name: 'plain',
      listen: '127.0.0.1:0',
      upstream: upstream.address,
    });
    const result = await exchange(proxy.listen, '/bytes/200000');
    expect(result.outcome).toBe('end');
    expect(sha256(responseBody(result.data))).toBe(sha256(patternBody(200_000)));
  });

  it('latency delays the response by at least `latency` ms', async () => {
    await proxyWith('latency', { latency: 200, jitter: 0 });
    const result = await exchange(proxy.listen, '/hello');
    expect(result.firstByteMs).toBeGreaterThanOrEqual(200);
    expect(responseBody(result.data).toString()).toBe('hello');
  });

  it('latency on the upstream stream delays the request instead', async () => {
    await proxyWith('latency', { latency: 200, jitter: 0 }, { stream: 'upstream' });
    const result = await exchange(proxy.listen, '/hello');
    expect(result.firstByteMs).toBeGreaterThanOrEqual(200);
    expect(responseBody(result.data).toString()).toBe('hello');
  });

  it('latency reaches a connection that was already open (keep-alive)', async () => {
    proxy = await toxiproxy.createProxy({
      name: 'keep-alive',
      listen: '127.0.0.1:0',
      upstream: upstream.address,
    });
    const [host, port] = splitListen(proxy.listen);
    const socket = connect({ host, port });
    const responses: number[] = [];
    const ask = (): Promise<number> =>
      new Promise((resolve) => {
        const start = performance.now();
        socket.once('data', () => resolve(performance.now() - start));
        socket.write(`GET /hello HTTP/1.1\r\nHost: x\r\n\r\n`);
      });
    try {
      await new Promise((resolve) => socket.once('connect', resolve));
      responses.push(await ask());
      await proxy.addToxic({
        name: 'late',
        type: 'latency',
        stream: 'downstream',
        toxicity: 1,
        attributes: { latency: 150, jitter: 0 },
      });
      responses.push(await ask());
    } finally {
      socket.destroy();
    }
    expect(responses[0]).toBeLessThan(100);
    expect(responses[1]).toBeGreaterThanOrEqual(150);
  });

  it('timeout stops all data and closes the connection after `timeout` ms', async () => {
    await proxyWith('timeout', { timeout: 300 });
    const result = await exchange(proxy.listen, '/hello');
    expect(result.data.length).toBe(0);
    expect(result.outcome).toBe('end');
    expect(result.elapsedMs).toBeGreaterThanOrEqual(290);
  });

  it('timeout 0 holds the connection open, silent, until the toxic is removed', async () => {
    await proxyWith('timeout', { timeout: 0 });
    const held = exchange(proxy.listen, '/hello', 3_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await (await proxy.getToxic('timeout_test')).remove();
    const result = await held;
    expect(result.data.length).toBe(0);
    expect(result.outcome).toBe('end');
    expect(result.elapsedMs).toBeGreaterThanOrEqual(490);
    expect(result.elapsedMs).toBeLessThan(2_500);
  });

  it('reset_peer resets the connection (ECONNRESET) after `timeout` ms, with no data', async () => {
    await proxyWith('reset_peer', { timeout: 150 });
    const result = await exchange(proxy.listen, '/hello');
    expect(result.outcome).toBe('reset');
    expect(result.data.length).toBe(0);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(140);
  });

  it('reset_peer surfaces as ECONNRESET in an HTTP client', async () => {
    await proxyWith('reset_peer', { timeout: 0 });
    const [host, port] = splitListen(proxy.listen);
    const error = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
      const req = httpRequest({ host, port, path: '/hello', agent: false }, (res) => {
        res.resume();
        reject(new Error(`got a response: ${res.statusCode}`));
      });
      req.on('error', resolve);
      req.end();
    });
    expect(error.code).toBe('ECONNRESET');
  });

  it('limit_data cuts the response after `bytes` bytes and closes', async () => {
    await proxyWith('limit_data', { bytes: 1_000 });
    const result = await exchange(proxy.listen, '/bytes/100000');
    expect(result.data.length).toBe(1_000);
    expect(result.outcome).toBe('end');
  });

  it('slicer delivers the whole body, in many small reads', async () => {
    await proxyWith('slicer', { average_size: 64, size_variation: 32, delay: 2_000 });
    const result = await exchange(proxy.listen, '/bytes/4000');
    expect(result.outcome).toBe('end');
    expect(sha256(responseBody(result.data))).toBe(sha256(patternBody(4_000)));
    expect(result.reads).toBeGreaterThan(20);
  });

  it('bandwidth slows a large body to about `rate` KB/s', async () => {
    await proxyWith('bandwidth', { rate: 100 });
    const result = await exchange(proxy.listen, '/bytes/60000');
    expect(sha256(responseBody(result.data))).toBe(sha256(patternBody(60_000)));
    // 60 kB at 100 KB/s is 600 ms.
    expect(result.elapsedMs).toBeGreaterThanOrEqual(550);
    expect(result.elapsedMs).toBeLessThan(3_000);
  });

  it('slow_close delays the close by `delay` ms after the last byte', async () => {
    await proxyWith('slow_close', { delay: 300 });
    const result = await exchange(proxy.listen, '/hello');
    expect(responseBody(result.data).toString()).toBe('hello');
    expect(result.outcome).toBe('end');
    expect(result.closeAfterLastByteMs).toBeGreaterThanOrEqual(290);
  });

  it('toxicity 0 never applies the toxic', async () => {
    await proxyWith('limit_data', { bytes: 0 }, { toxicity: 0 });
    for (let i = 0; i < 20; i++) {
      const result = await exchange(proxy.listen, '/hello');
      expect(responseBody(result.data).toString()).toBe('hello');
    }
  });

  it('toxicity 0.5 applies to some connections, the same ones for the same seed', async () => {
    const cutOf = async (seed: number): Promise<boolean[]> => {
      const other = await startToxiproxyServer({ port: 0, seed });
      try {
        const client = new Toxiproxy(other.url);
        const half = await client.createProxy({
          name: 'half',
          listen: '127.0.0.1:0',
          upstream: upstream.address,
        });
        await half.addToxic({
          name: 'half_cut',
          type: 'limit_data',
          stream: 'downstream',
          toxicity: 0.5,
          attributes: { bytes: 0 },
        });
        const cut: boolean[] = [];
        for (let i = 0; i < 24; i++) {
          cut.push((await exchange(half.listen, '/hello')).data.length === 0);
        }
        return cut;
      } finally {
        await other.close();
      }
    };
    const first = await cutOf(42);
    expect(first).toContain(true);
    expect(first).toContain(false);
    expect(await cutOf(42)).toEqual(first);
    expect(await cutOf(43)).not.toEqual(first);
  });
});
