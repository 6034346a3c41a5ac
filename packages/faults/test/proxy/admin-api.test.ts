import { Toxiproxy } from 'toxiproxy-node-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startToxiproxyServer, type ToxiproxyServer } from '../../src/proxy/index.ts';
import { exchange, responseBody, startTestUpstream, type TestUpstream } from './support/servers.ts';

// The Toxiproxy admin API, driven by the real toxiproxy-node-client where it has a method
// for the call, and by fetch for the JSON details it hides.

let upstream: TestUpstream;
let other: TestUpstream;
let server: ToxiproxyServer;
let toxiproxy: Toxiproxy;

beforeAll(async () => {
  upstream = await startTestUpstream();
  other = await startTestUpstream();
  server = await startToxiproxyServer({ port: 0 });
  toxiproxy = new Toxiproxy(server.url);
});

afterAll(async () => {
  await server.close();
  await other.close();
  await upstream.close();
});

afterEach(async () => {
  for (const proxy of Object.values(await toxiproxy.getAll())) await proxy.remove();
});

// biome-ignore lint/suspicious/noExplicitAny: tests assert on arbitrary JSON shapes
type Json = any;

async function api(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Json }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

const createBody = (name: string, target = upstream) => ({
  name,
  listen: '127.0.0.1:0',
  upstream: target.address,
});

describe('the Toxiproxy admin API', () => {
  it('reports a Toxiproxy 2.x version as JSON', async () => {
    expect(JSON.parse(await toxiproxy.getVersion())).toEqual({ version: '2.12.0' });
  });

  it('creates a proxy on a free loopback port, shows it, and refuses the name twice', async () => {
    const proxy = await toxiproxy.createProxy(createBody('carrier'));
    expect(proxy.listen).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);
    expect(proxy.enabled).toBe(true);
    const result = await exchange(proxy.listen, '/hello');
    expect(responseBody(result.data).toString()).toBe('hello');

    expect(await api('GET', '/proxies/carrier')).toEqual({
      status: 200,
      json: {
        name: 'carrier',
        listen: proxy.listen,
        upstream: upstream.address,
        enabled: true,
        toxics: [],
      },
    });
    expect(Object.keys(await toxiproxy.getAll())).toEqual(['carrier']);
    await expect(toxiproxy.createProxy(createBody('carrier'))).rejects.toThrow(/409/);
    const conflict = await api('POST', '/proxies', createBody('carrier'));
    expect(conflict.status).toBe(409);
    expect(conflict.json).toEqual({
      error: expect.stringMatching(/^proxy already exists/),
      status: 409,
    });
  });

  it('creates toxics with Toxiproxy defaults, lists, shows, updates and deletes them', async () => {
    const proxy = await toxiproxy.createProxy(createBody('defaults'));
    const created = await api('POST', '/proxies/defaults/toxics', {
      type: 'latency',
      attributes: { latency: 50 },
    });
    expect(created).toEqual({
      status: 200,
      json: {
        name: 'latency_downstream',
        type: 'latency',
        stream: 'downstream',
        toxicity: 1,
        attributes: { latency: 50, jitter: 0 },
      },
    });
    const toxic = await proxy.getToxic<{ latency: number; jitter: number }>('latency_downstream');
    const updated = await toxic.update({
      ...toxic.toJson(),
      attributes: { latency: 50, jitter: 10 },
      toxicity: 0.5,
    });
    expect(updated.attributes).toEqual({ latency: 50, jitter: 10 });
    expect(updated.toxicity).toBe(0.5);
    // An update merges attributes over the current ones, as Toxiproxy does.
    const patched = await api('PATCH', '/proxies/defaults/toxics/latency_downstream', {
      attributes: { jitter: 0 },
    });
    expect(patched.json.attributes).toEqual({ latency: 50, jitter: 0 });
    expect((await api('GET', '/proxies/defaults/toxics')).json).toHaveLength(1);
    await updated.remove();
    expect((await api('GET', '/proxies/defaults/toxics')).json).toEqual([]);
    expect((await api('DELETE', '/proxies/defaults/toxics/latency_downstream')).status).toBe(404);
  });

  it('disables a proxy (connections refused) and enables it again on the same address', async () => {
    const proxy = await toxiproxy.createProxy(createBody('switch'));
    const disabled = await proxy.update({
      enabled: false,
      listen: proxy.listen,
      upstream: proxy.upstream,
    });
    expect(disabled.enabled).toBe(false);
    expect((await exchange(proxy.listen, '/hello')).outcome).toBe('refused');
    const enabled = await proxy.update({
      enabled: true,
      listen: proxy.listen,
      upstream: proxy.upstream,
    });
    expect(enabled.listen).toBe(proxy.listen);
    expect(responseBody((await exchange(proxy.listen, '/hello')).data).toString()).toBe('hello');
  });

  it('moves a proxy to another upstream', async () => {
    const proxy = await toxiproxy.createProxy(createBody('mover'));
    const moved = await proxy.update({
      enabled: true,
      listen: proxy.listen,
      upstream: other.address,
    });
    expect(moved.upstream).toBe(other.address);
    await exchange(proxy.listen, '/to-other');
    expect(other.received).toContain('GET /to-other');
    expect(upstream.received).not.toContain('GET /to-other');
  });

  it('/reset enables every proxy and removes every toxic', async () => {
    const proxy = await toxiproxy.createProxy(createBody('reset-me'));
    await proxy.addToxic({
      name: 'slow',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: 500, jitter: 0 },
    });
    await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    await toxiproxy.reset();
    const after = await api('GET', '/proxies/reset-me');
    expect(after.json.enabled).toBe(true);
    expect(after.json.toxics).toEqual([]);
    const result = await exchange(proxy.listen, '/hello');
    expect(result.elapsedMs).toBeLessThan(400);
  });

  it('/populate creates proxies, keeps an unchanged one with its toxics, replaces a changed one', async () => {
    const first = await toxiproxy.populate([createBody('alpha'), createBody('beta')]);
    expect(Object.keys(first).sort()).toEqual(['alpha', 'beta']);
    const alpha = first.alpha;
    const beta = first.beta;
    if (!alpha || !beta) throw new Error('populate returned no alpha or beta');
    await alpha.addToxic({
      name: 'kept',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: 1, jitter: 0 },
    });
    const again = await api('POST', '/populate', [
      { name: 'alpha', listen: alpha.listen, upstream: upstream.address },
      { name: 'beta', listen: '127.0.0.1:0', upstream: other.address },
    ]);
    expect(again.status).toBe(201);
    const byName = Object.fromEntries(
      (again.json.proxies as { name: string }[]).map((p) => [p.name, p]),
    );
    expect(byName.alpha).toMatchObject({ listen: alpha.listen, toxics: [{ name: 'kept' }] });
    expect(byName.beta).toMatchObject({ upstream: other.address, toxics: [] });
    expect(responseBody((await exchange(alpha.listen, '/hello')).data).toString()).toBe('hello');
  });

  it('/populate checks every entry before creating any', async () => {
    const result = await api('POST', '/populate', [
      createBody('fine'),
      { name: 'broken', listen: '127.0.0.1:0' },
    ]);
    expect(result).toEqual({
      status: 400,
      json: { error: 'missing required field: upstream at proxy 2', status: 400 },
    });
    expect(await toxiproxy.getAll()).toEqual({});
  });

  it('/populate reports a proxy that cannot listen, with the proxies made before it', async () => {
    const taken = await toxiproxy.createProxy(createBody('taken'));
    const result = await api('POST', '/populate', [
      createBody('made'),
      { name: 'clash', listen: taken.listen, upstream: upstream.address },
    ]);
    expect(result.status).toBe(409);
    expect(result.json.error).toMatch(/^listen address in use/);
    expect(result.json.proxies.map((p: { name: string }) => p.name)).toEqual(['made']);
  });

  it.each([
    [
      'no name',
      'POST',
      '/proxies',
      { upstream: '127.0.0.1:1' },
      400,
      /^missing required field: name$/,
    ],
    ['no upstream', 'POST', '/proxies', { name: 'x' }, 400, /^missing required field: upstream$/],
    ['a bad upstream', 'POST', '/proxies', { name: 'x', upstream: 'nowhere' }, 400, /host:port/],
    [
      'a non-loopback listen',
      'POST',
      '/proxies',
      { name: 'x', listen: '10.1.2.3:80', upstream: '127.0.0.1:1' },
      400,
      /loopback only/,
    ],
    ['a body that is not JSON', 'POST', '/proxies', '{', 400, /^bad request body/],
    ['an unknown proxy', 'GET', '/proxies/ghost', undefined, 404, /^proxy not found/],
    ['an unknown proxy to delete', 'DELETE', '/proxies/ghost', undefined, 404, /^proxy not found/],
    [
      'toxics of an unknown proxy',
      'GET',
      '/proxies/ghost/toxics',
      undefined,
      404,
      /^proxy not found/,
    ],
    ['an unknown route', 'GET', '/nothing', undefined, 404, /^route not found/],
    ['a wrong method', 'DELETE', '/version', undefined, 405, /takes GET/],
  ])('answers %s with a Toxiproxy error', async (_, method, path, body, status, message) => {
    const result =
      typeof body === 'string'
        ? await fetch(`${server.url}${path}`, { method, body }).then(async (r) => ({
            status: r.status,
            json: await r.json(),
          }))
        : await api(method, path, body);
    expect(result.status).toBe(status);
    expect(result.json).toEqual({ error: expect.stringMatching(message), status });
  });

  it.each([
    [
      'an unknown type',
      { type: 'latencyy' },
      400,
      /^invalid toxic type: "latencyy"; use one of latency, /,
    ],
    ['a bad stream', { type: 'latency', stream: 'sideways' }, 400, /^stream was invalid/],
    ['toxicity above 1', { type: 'latency', toxicity: 2 }, 400, /toxicity is between 0 and 1/],
    [
      'an unknown attribute',
      { type: 'latency', attributes: { latncy: 5 } },
      400,
      /^bad request body: latency toxic attributes: Unrecognized key/,
    ],
    [
      'a negative attribute',
      { type: 'bandwidth', attributes: { rate: -1 } },
      400,
      /attributes\.rate/,
    ],
    [
      'a slicer variation as large as its size',
      { type: 'slicer', attributes: { average_size: 10, size_variation: 10 } },
      400,
      /size_variation must be smaller than average_size/,
    ],
  ])('refuses a toxic with %s', async (_, body, status, message) => {
    await toxiproxy.createProxy(createBody('strict'));
    const result = await api('POST', '/proxies/strict/toxics', body);
    expect(result).toEqual({ status, json: { error: expect.stringMatching(message), status } });
    expect((await api('GET', '/proxies/strict/toxics')).json).toEqual([]);
  });

  it('refuses a second toxic of the same name (409) and an unknown toxic (404)', async () => {
    const proxy = await toxiproxy.createProxy(createBody('dupes'));
    const body = {
      name: 'one',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: {},
    } as const;
    await proxy.addToxic(body);
    await expect(proxy.addToxic(body)).rejects.toThrow(/409/);
    await expect(proxy.getToxic('two')).rejects.toThrow(/404/);
    const missing = await api('POST', '/proxies/dupes/toxics/two', { attributes: {} });
    expect(missing).toEqual({
      status: 404,
      json: { error: expect.stringMatching(/^toxic not found/), status: 404 },
    });
  });

  it('refuses browsers, as Toxiproxy does', async () => {
    const response = await fetch(`${server.url}/proxies`, {
      headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)' },
    });
    expect(response.status).toBe(403);
    await response.body?.cancel();
  });
});
