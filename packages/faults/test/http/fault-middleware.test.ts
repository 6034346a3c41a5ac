import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rawRequest } from '@esimlab/test-utils';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type FaultCrashPoint,
  FaultPlan,
  type FaultRuleInput,
  faultMiddleware,
  type InjectedFault,
  parseFaultRules,
} from '../../src/index.ts';

// A tiny service behind the middleware: POST /v1/orders commits an order, GET /v1/big sends
// 1000 bytes. Enough to see every fault from a real client over a real socket.
const plan = new FaultPlan({ seed: 1 });
const committed: string[] = [];
const handled: string[] = [];
const crashes: { armed: FaultCrashPoint[]; disarmed: FaultCrashPoint[] } = {
  armed: [],
  disarmed: [],
};
const injected: InjectedFault[] = [];
const big = Buffer.from('x'.repeat(1000));

const middleware = faultMiddleware(plan, {
  onCrash: (point) => {
    crashes.armed.push(point);
    return () => crashes.disarmed.push(point);
  },
  onFault: (fault) => injected.push(fault),
});

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    middleware(req, res, (error) => {
      if (error) {
        res.statusCode = 500;
        res.end(String(error));
        return;
      }
      handled.push(`${req.method} ${req.url}`);
      if (req.method === 'POST') {
        const id = `order-${committed.length + 1}`;
        committed.push(id);
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id }));
        return;
      }
      res.setHeader('content-type', 'text/plain');
      res.end(req.url === '/v1/big' ? big : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  plan.clear();
  committed.length = 0;
  handled.length = 0;
  injected.length = 0;
  crashes.armed.length = 0;
  crashes.disarmed.length = 0;
});

function use(...rules: FaultRuleInput[]): void {
  const parsed = parseFaultRules(rules);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  plan.replace(parsed.value);
}

const openConnections = () =>
  new Promise<number>((resolve, reject) =>
    server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );

describe('faultMiddleware over a real socket', () => {
  it('lets a request without a matching rule through untouched', async () => {
    use({ kind: 'error', match: { path: '/v2/**' }, params: { status: 500 } });
    const outcome = await rawRequest(`${base}/v1/big`);
    expect(outcome).toMatchObject({ kind: 'response', status: 200, complete: true });
    expect(injected).toEqual([]);
  });

  it('delays by the sum of the latency rules that fire', async () => {
    use({ kind: 'latency', params: { ms: 120 } }, { kind: 'latency', params: { ms: 80 } });
    const outcome = await rawRequest(`${base}/v1/plans`);
    expect(outcome).toMatchObject({ kind: 'response', status: 200 });
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(195);
    expect(injected[0]?.decision).toEqual({ latencyMs: 200, ruleIds: ['f1', 'f2'] });
  });

  it('never hands a request whose client gave up during the latency to the handler', async () => {
    use({ kind: 'latency', params: { ms: 300 } });
    const outcome = await rawRequest(`${base}/v1/orders`, {
      method: 'POST',
      body: {},
      timeoutMs: 50,
    });
    expect(outcome).toMatchObject({ kind: 'error', code: 'CLIENT_TIMEOUT' });
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(handled).toEqual([]);
    expect(committed).toEqual([]);
  });

  it('answers an error rule with problem+json, Retry-After on 503 and 429', async () => {
    use(
      { kind: 'error', match: { path: '/v1/a' }, params: { status: 503 } },
      { kind: 'error', match: { path: '/v1/b' }, params: { status: 429, retryAfter: 7 } },
      { kind: 'error', match: { path: '/v1/c' }, params: { status: 500 } },
      { kind: 'error', match: { path: '/v1/d' }, params: { status: 504 } },
    );
    const expected = [
      ['/v1/a', 503, 'upstream_unavailable', '1'],
      ['/v1/b', 429, 'rate_limited', '7'],
      ['/v1/c', 500, 'internal_error', undefined],
      ['/v1/d', 504, 'upstream_unavailable', undefined],
    ] as const;
    for (const [path, status, code, retryAfter] of expected) {
      const outcome = await rawRequest(`${base}${path}`);
      if (outcome.kind !== 'response') throw new Error(`${path}: ${outcome.code}`);
      expect(outcome.status).toBe(status);
      expect(outcome.headers['content-type']).toBe('application/problem+json');
      expect(outcome.headers['retry-after']).toBe(retryAfter);
      expect(JSON.parse(outcome.body.toString())).toMatchObject({ status, code, instance: path });
    }
    expect(handled).toEqual([]);
  });

  it('holds a timed-out request open without answering until the client gives up', async () => {
    use({ kind: 'timeout' });
    const outcome = await rawRequest(`${base}/v1/orders`, {
      method: 'POST',
      body: {},
      timeoutMs: 300,
    });
    expect(outcome).toMatchObject({ kind: 'error', code: 'CLIENT_TIMEOUT' });
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(295);
    expect(handled).toEqual([]);
    // Nothing holds the connection once the client is gone.
    await expect.poll(openConnections).toBe(0);
  });

  it('resets the connection before the handler runs for reset-before', async () => {
    use({ kind: 'reset-before' });
    const outcome = await rawRequest(`${base}/v1/orders`, { method: 'POST', body: {} });
    expect(outcome).toMatchObject({ kind: 'error', code: 'ECONNRESET' });
    expect(handled).toEqual([]);
    expect(committed).toEqual([]);
  });

  it('runs the handler and commits, then resets without an answer, for reset-after-commit', async () => {
    use({ kind: 'reset-after-commit' });
    const outcome = await rawRequest(`${base}/v1/orders`, { method: 'POST', body: {} });
    expect(outcome).toMatchObject({ kind: 'error', code: 'ECONNRESET' });
    expect(committed).toEqual(['order-1']);
  });

  it('sends the headers with the full Content-Length and only `bytes` of the body for truncated', async () => {
    use({ kind: 'truncated', params: { bytes: 10 } });
    const outcome = await rawRequest(`${base}/v1/big`);
    if (outcome.kind !== 'response') throw new Error(outcome.code);
    expect(outcome.status).toBe(200);
    expect(outcome.headers['content-length']).toBe('1000');
    expect(outcome.body.toString()).toBe('x'.repeat(10));
    expect(outcome.complete).toBe(false);
  });

  it('always keeps a truncated body short of complete, even when `bytes` exceeds it', async () => {
    use({ kind: 'truncated', params: { bytes: 5000 } });
    const outcome = await rawRequest(`${base}/v1/big`);
    if (outcome.kind !== 'response') throw new Error(outcome.code);
    expect(outcome.body.length).toBe(999);
    expect(outcome.complete).toBe(false);
  });

  it('dribbles the whole body over durationMs for slow-body', async () => {
    use({ kind: 'slow-body', params: { durationMs: 400 } });
    const outcome = await rawRequest(`${base}/v1/big`);
    if (outcome.kind !== 'response') throw new Error(outcome.code);
    expect(outcome.complete).toBe(true);
    expect(outcome.body.equals(big)).toBe(true);
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(395);
    expect(outcome.chunks).toBeGreaterThan(2);
  });

  it('arms the crash point for crash, lets the request run, and disarms once it is over', async () => {
    use({ kind: 'crash', params: { point: 'after-credit' } });
    const outcome = await rawRequest(`${base}/v1/orders`, { method: 'POST', body: {} });
    expect(outcome).toMatchObject({ kind: 'response', status: 201 });
    expect(committed).toEqual(['order-1']);
    expect(crashes.armed).toEqual(['after-credit']);
    await expect.poll(() => crashes.disarmed).toEqual(['after-credit']);
  });

  it('never faults the excluded paths, whatever the rules say', async () => {
    use({ kind: 'reset-before' });
    for (const path of ['/_sim/faults', '/healthz', '/metrics']) {
      expect(await rawRequest(`${base}${path}`)).toMatchObject({ kind: 'response', status: 200 });
    }
    expect(injected).toEqual([]);
  });
});
