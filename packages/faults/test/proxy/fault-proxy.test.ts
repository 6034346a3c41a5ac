import { Toxiproxy } from 'toxiproxy-node-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FaultRuleInput } from '../../src/index.ts';
import { type FaultProxy, startFaultProxy } from '../../src/proxy/index.ts';
import {
  exchange,
  httpCall,
  patternBody,
  responseBody,
  sha256,
  startTestUpstream,
  type TestUpstream,
} from './support/servers.ts';

// The HTTP-aware proxy: esimlab's fault rules in front of an arbitrary HTTP server.

let upstream: TestUpstream;
const running: FaultProxy[] = [];

beforeAll(async () => {
  upstream = await startTestUpstream();
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((proxy) => proxy.close()));
  upstream.received.length = 0;
});

afterAll(async () => {
  await upstream.close();
});

async function proxyWith(
  rules: FaultRuleInput[],
  options: { seed?: number; adminPort?: number } = {},
): Promise<FaultProxy> {
  const proxy = await startFaultProxy({ upstream: upstream.address, rules, ...options });
  running.push(proxy);
  return proxy;
}

describe('the fault proxy in front of an HTTP server', () => {
  it('passes requests, bodies and answers through unchanged without rules', async () => {
    const proxy = await proxyWith([]);
    const echoed = await httpCall(`${proxy.url}/echo`, {
      method: 'POST',
      body: '{"iccid":"8901"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(echoed).toMatchObject({ status: 200, headers: { 'content-type': 'application/json' } });
    expect(echoed.body?.toString()).toBe('{"iccid":"8901"}');
    const big = await httpCall(`${proxy.url}/bytes/300000`);
    expect(sha256(big.body ?? Buffer.alloc(0))).toBe(sha256(patternBody(300_000)));
    expect(upstream.received).toEqual(['POST /echo', 'GET /bytes/300000']);
  });

  it('answers an `error` rule with 503 problem+json, without reaching the upstream', async () => {
    const proxy = await proxyWith([
      { id: 'outage', kind: 'error', match: { path: '/v1/**' }, params: { status: 503 } },
    ]);
    const failed = await httpCall(`${proxy.url}/v1/esims`);
    expect(failed.status).toBe(503);
    expect(failed.headers).toMatchObject({
      'content-type': 'application/problem+json',
      'retry-after': '1',
    });
    expect(JSON.parse(failed.body?.toString() ?? '')).toMatchObject({
      status: 503,
      code: 'upstream_unavailable',
      faultRule: 'outage',
    });
    expect(upstream.received).toEqual([]);
    // Outside the rule's match, requests go through.
    expect((await httpCall(`${proxy.url}/hello`)).body?.toString()).toBe('hello');
    expect(upstream.received).toEqual(['GET /hello']);
    expect(proxy.plan.list()[0]?.counters).toEqual({ matched: 1, hits: 1 });
  });

  it('resets the connection on a `reset-before` rule, without reaching the upstream', async () => {
    const proxy = await proxyWith([{ kind: 'reset-before', params: {} }]);
    expect((await httpCall(`${proxy.url}/v1/topups`, { method: 'POST', body: '{}' })).error).toBe(
      'ECONNRESET',
    );
    // A TCP RST, not a mere close.
    const raw = await exchange(proxy.listen, '/v1/topups');
    expect(raw).toMatchObject({ outcome: 'reset', data: Buffer.alloc(0) });
    expect(upstream.received).toEqual([]);
  });

  it('lets the upstream commit, then resets, on a `reset-after-commit` rule', async () => {
    const proxy = await proxyWith([{ kind: 'reset-after-commit', params: {} }]);
    const outcome = await exchange(proxy.listen, '/v1/topups');
    expect(outcome).toMatchObject({ outcome: 'reset', data: Buffer.alloc(0) });
    expect(upstream.received).toEqual(['GET /v1/topups']);
  });

  it('cuts the body short of its Content-Length on a `truncated` rule', async () => {
    const proxy = await proxyWith([{ kind: 'truncated', params: { bytes: 100 } }]);
    const result = await exchange(proxy.listen, '/bytes/5000');
    expect(result.data.toString()).toMatch(/content-length: 5000/i);
    expect(responseBody(result.data).length).toBe(100);
  });

  it('delays the request by a `latency` rule', async () => {
    const proxy = await proxyWith([{ kind: 'latency', params: { ms: 150 } }]);
    const outcome = await httpCall(`${proxy.url}/hello`);
    expect(outcome.body?.toString()).toBe('hello');
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(150);
  });

  it('never answers on a `timeout` rule, until the proxy closes', async () => {
    const proxy = await proxyWith([{ kind: 'timeout', params: {} }]);
    const outcome = await httpCall(`${proxy.url}/hello`, { timeoutMs: 400 });
    expect(outcome.error).toBe('TIMEOUT');
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(390);
    expect(upstream.received).toEqual([]);
  });

  it('makes the same decisions for the same seed, and others for another', async () => {
    const statuses = async (seed: number): Promise<number[]> => {
      const proxy = await proxyWith(
        [{ kind: 'error', probability: 0.5, params: { status: 503 } }],
        {
          seed,
        },
      );
      const seen: number[] = [];
      for (let i = 0; i < 24; i++) seen.push((await httpCall(`${proxy.url}/hello`)).status ?? 0);
      return seen;
    };
    const first = await statuses(11);
    expect(first).toContain(200);
    expect(first).toContain(503);
    expect(await statuses(11)).toEqual(first);
    expect(await statuses(12)).not.toEqual(first);
  });

  it('answers 502 problem+json when the upstream is not there', async () => {
    const proxy = await startFaultProxy({ upstream: '127.0.0.1:1' });
    running.push(proxy);
    const outcome = await httpCall(`${proxy.url}/hello`);
    expect(outcome.status).toBe(502);
    expect(JSON.parse(outcome.body?.toString() ?? '')).toMatchObject({
      code: 'upstream_unreachable',
      detail: expect.stringContaining('127.0.0.1:1'),
    });
  });

  it('refuses invalid rules, a non-loopback listen address and a malformed upstream', async () => {
    await expect(
      startFaultProxy({
        upstream: upstream.address,
        rules: [{ kind: 'error', params: { status: 418 } } as unknown as FaultRuleInput],
      }),
    ).rejects.toThrow(/rules are invalid: rules\[0\]\.params\.status/);
    await expect(
      startFaultProxy({ upstream: upstream.address, listen: '192.0.2.1:8080' }),
    ).rejects.toThrow(/loopback/);
    await expect(startFaultProxy({ upstream: 'carrier' })).rejects.toThrow(/host:port/);
  });
});

describe('the fault proxy with its Toxiproxy admin API', () => {
  it('stacks toxics added by a Toxiproxy client under the rules', async () => {
    const proxy = await proxyWith(
      [{ kind: 'error', match: { path: '/v1/**' }, params: { status: 503 } }],
      { adminPort: 0 },
    );
    const admin = proxy.admin;
    if (!admin) throw new Error('no admin API');
    const toxiproxy = new Toxiproxy(admin.url);
    const esimlab = await toxiproxy.get('esimlab');
    expect(esimlab.listen).toBe(proxy.listen);
    await esimlab.addToxic({
      name: 'slow',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: 150, jitter: 0 },
    });
    const failed = await httpCall(`${proxy.url}/v1/esims`);
    expect(failed.status).toBe(503);
    expect(failed.elapsedMs).toBeGreaterThanOrEqual(150);
    await toxiproxy.reset();
    const passed = await httpCall(`${proxy.url}/hello`);
    expect(passed.body?.toString()).toBe('hello');
    expect(passed.elapsedMs).toBeLessThan(150);
  });

  it('passes a rule reset through the toxic proxy as a reset', async () => {
    const proxy = await proxyWith([{ kind: 'reset-before', params: {} }], { adminPort: 0 });
    expect(await exchange(proxy.listen, '/hello')).toMatchObject({
      outcome: 'reset',
      data: Buffer.alloc(0),
    });
  });
});
