import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  proxyChangeFrom,
  proxySpecFrom,
  proxySpecsFrom,
  toxicChangeFrom,
  toxicFrom,
} from './internal/admin-bodies.ts';
import type { ProxyCollection } from './proxy-collection.ts';
import type { ProxyJson, ToxicProxy } from './toxic-proxy.ts';
import { ToxiproxyApiError, toxicNotFound } from './toxiproxy-api-error.ts';

/** The Toxiproxy version whose HTTP API this serves; clients feature-detect on it. */
export const toxiproxyApiVersion = '2.12.0';

const maxBodyBytes = 1 << 20;

type Reply = { status: number; body?: unknown };

/**
 * Toxiproxy 2.x's HTTP admin API over a proxy collection, as a node:http request listener:
 * `/version`, `/reset`, `/populate`, `/proxies[/{proxy}[/toxics[/{toxic}]]]`, with its JSON
 * shapes, status codes and `{"error", "status"}` errors. Updates take POST or PATCH.
 */
export function createToxiproxyApi(
  collection: ProxyCollection,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    // Toxiproxy refuses browsers, so a web page cannot reconfigure proxies on localhost.
    if ((request.headers['user-agent'] ?? '').startsWith('Mozilla/')) {
      response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('User agent not allowed\n');
      return;
    }
    route(collection, request).then(
      (reply) => send(response, reply),
      (error: unknown) => {
        if (error instanceof ToxiproxyApiError) {
          send(response, { status: error.status, body: error.toBody() });
          return;
        }
        send(response, { status: 500, body: { error: String(error), status: 500 } });
      },
    );
  };
}

async function route(collection: ProxyCollection, request: IncomingMessage): Promise<Reply> {
  const method = request.method ?? 'GET';
  const segments = pathSegments(request.url ?? '/');
  const [first, proxyName, third, toxicName, ...rest] = segments;
  const allow = (methods: string[]): void => {
    if (!methods.includes(method)) {
      throw new ToxiproxyApiError(
        405,
        'method_not_allowed',
        `method not allowed: ${method} /${segments.join('/')} takes ${methods.join(', ')}`,
      );
    }
  };

  if (segments.length === 1 && first === 'version') {
    allow(['GET']);
    return { status: 200, body: { version: toxiproxyApiVersion } };
  }
  if (segments.length === 1 && first === 'reset') {
    allow(['POST']);
    await collection.reset();
    return { status: 204 };
  }
  if (segments.length === 1 && first === 'populate') {
    allow(['POST']);
    const { proxies, error } = await collection.populate(proxySpecsFrom(await readJson(request)));
    const body = { proxies: proxies.map(proxyJson) };
    if (error) return { status: error.status, body: { ...error.toBody(), ...body } };
    return { status: 201, body };
  }
  if (first === 'proxies' && segments.length === 1) {
    allow(['GET', 'POST']);
    if (method === 'GET') {
      return {
        status: 200,
        body: Object.fromEntries(collection.list().map((p) => [p.name, proxyJson(p)])),
      };
    }
    const proxy = await collection.create(proxySpecFrom(await readJson(request)));
    return { status: 201, body: proxyJson(proxy) };
  }
  if (first === 'proxies' && proxyName !== undefined && segments.length === 2) {
    allow(['GET', 'POST', 'PATCH', 'DELETE']);
    if (method === 'GET') return { status: 200, body: proxyJson(collection.get(proxyName)) };
    if (method === 'DELETE') {
      await collection.remove(proxyName);
      return { status: 204 };
    }
    collection.get(proxyName); // 404 before 400, as Toxiproxy does
    const proxy = await collection.update(proxyName, proxyChangeFrom(await readJson(request)));
    return { status: 200, body: proxyJson(proxy) };
  }
  if (
    first === 'proxies' &&
    proxyName !== undefined &&
    third === 'toxics' &&
    segments.length === 3
  ) {
    allow(['GET', 'POST']);
    const proxy = collection.get(proxyName);
    if (method === 'GET') return { status: 200, body: proxy.toxics };
    const toxic = await collection.addToxic(proxyName, toxicFrom(await readJson(request)));
    return { status: 200, body: toxic };
  }
  if (
    first === 'proxies' &&
    proxyName !== undefined &&
    third === 'toxics' &&
    toxicName !== undefined &&
    rest.length === 0
  ) {
    allow(['GET', 'POST', 'PATCH', 'DELETE']);
    const proxy = collection.get(proxyName);
    if (method === 'GET') {
      const toxic = proxy.toxics.find((t) => t.name === toxicName);
      if (!toxic) throw toxicNotFound(proxyName, toxicName);
      return { status: 200, body: toxic };
    }
    if (method === 'DELETE') {
      await collection.removeToxic(proxyName, toxicName);
      return { status: 204 };
    }
    if (!proxy.toxics.some((t) => t.name === toxicName)) throw toxicNotFound(proxyName, toxicName);
    const toxic = await collection.updateToxic(
      proxyName,
      toxicName,
      toxicChangeFrom(await readJson(request)),
    );
    return { status: 200, body: toxic };
  }
  throw new ToxiproxyApiError(
    404,
    'route_not_found',
    `route not found: ${method} /${segments.join('/')}; the API has /version, /reset, /populate, /proxies, /proxies/{proxy}, /proxies/{proxy}/toxics and /proxies/{proxy}/toxics/{toxic}`,
  );
}

function proxyJson(proxy: ToxicProxy): ProxyJson {
  return proxy.toJSON();
}

function pathSegments(url: string): string[] {
  const path = url.split('?')[0] ?? '/';
  try {
    return path
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
  } catch {
    throw new ToxiproxyApiError(400, 'bad_request_body', `bad request: malformed URL path ${path}`);
  }
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) {
      throw new ToxiproxyApiError(400, 'bad_request_body', 'bad request body: larger than 1 MiB');
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') {
    throw new ToxiproxyApiError(400, 'bad_request_body', 'bad request body: empty; send JSON');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ToxiproxyApiError(
      400,
      'bad_request_body',
      `bad request body: not JSON (${(error as Error).message})`,
    );
  }
}

function send(response: ServerResponse, reply: Reply): void {
  if (reply.body === undefined) {
    response.writeHead(reply.status).end();
    return;
  }
  const body = `${JSON.stringify(reply.body)}\n`;
  response.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}
