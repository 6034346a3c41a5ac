import { randomUUID } from 'node:crypto';
import { parse as parseQuery } from 'node:querystring';
import type { CarrierContext } from '../app/carrier-context.ts';
import { parseJsonBytes } from './json-body.ts';
import { type AnyRoute, jsonMediaType, type RouteReply } from './route.ts';
import { problemBody, problemFor, routeNotFound, runRoute } from './router.ts';

/** A request handed to the carrier in the same process, bytes and all, with no socket. */
export interface InProcessRequest {
  readonly method: string;
  /** Path and query, e.g. `/v1/esims?limit=2`. */
  readonly url: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  /** Aborted when the caller hangs up, as a closed connection aborts a request on a socket. */
  readonly signal: AbortSignal;
}

export interface InProcessResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/**
 * Serves requests in process the way the express app serves them on a socket, minus the
 * socket, express and its router: the same routes matched the same way, the same body rules,
 * the same `runRoute` (access, validation, handler) and the same problem documents. The
 * simulator's network calls it thousands of times a second; the real-socket runs check it
 * behaves as the express app does, HEAD (the GET route, without its body) and OPTIONS (the
 * `Allow` list of the path's methods) included. Left to the socket side: request logs and
 * metrics, the fault middleware, and bodies other than UTF-8 JSON without a content encoding
 * (express inflates gzip, strips a BOM and refuses other charsets).
 */
export function createInProcessDispatch(
  routes: readonly AnyRoute[],
  context: CarrierContext,
): (request: InProcessRequest) => Promise<InProcessResponse> {
  const table = routeTableOf(routes);
  const dispatch = async (request: InProcessRequest): Promise<InProcessResponse> => {
    const incoming = request.headers['x-request-id'];
    const requestId = incoming && /^[\w.:-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    const queryAt = request.url.indexOf('?');
    const path = queryAt === -1 ? request.url : request.url.slice(0, queryAt);
    try {
      if (request.method === 'OPTIONS') {
        const allowed = allowedMethods(table, path);
        if (allowed !== undefined) return optionsAnswer(allowed, requestId);
      }
      const found = matchRoute(table, request.method === 'HEAD' ? 'GET' : request.method, path);
      if (!found) throw routeNotFound(request.method, path);
      const reply = await runRoute(found.route, context, {
        params: found.params,
        query: queryAt === -1 ? {} : { ...parseQuery(request.url.slice(queryAt + 1)) },
        body: parseJsonBytes(request.headers, request.body),
        headers: request.headers,
        requestId,
        signal: request.signal,
      });
      return answer(reply, requestId);
    } catch (error) {
      const problem = problemFor(error, context, request.method, request.url);
      return {
        status: problem.status,
        headers: {
          ...lowerCased(problem.headers),
          'x-request-id': requestId,
          'content-type': 'application/problem+json; charset=utf-8',
        },
        body: Buffer.from(problemBody(problem, request.url, requestId)),
      };
    }
  };
  return (request) =>
    request.method === 'HEAD' ? dispatch(request).then(bodiless) : dispatch(request);
}

/** What GET would send, less the body: its length stays, as express sends it for HEAD. */
function bodiless(response: InProcessResponse): InProcessResponse {
  return {
    ...response,
    headers: { ...response.headers, 'content-length': String(response.body.length) },
    body: Buffer.alloc(0),
  };
}

/** Express's answer to OPTIONS on a path some route serves: its methods, sorted, as text. */
function optionsAnswer(allowed: string, requestId: string): InProcessResponse {
  return {
    status: 200,
    headers: {
      allow: allowed,
      'content-type': 'text/plain',
      'x-content-type-options': 'nosniff',
      'x-request-id': requestId,
    },
    body: Buffer.from(allowed),
  };
}

function answer(reply: RouteReply, requestId: string): InProcessResponse {
  const headers: Record<string, string> = {
    ...lowerCased(reply.headers ?? {}),
    'x-request-id': requestId,
  };
  if (reply.raw) {
    headers['content-type'] = reply.raw.contentType;
    const { data } = reply.raw;
    return {
      status: reply.status,
      headers,
      body: Buffer.isBuffer(data) ? data : Buffer.from(data),
    };
  }
  if (reply.body === undefined) return { status: reply.status, headers, body: Buffer.alloc(0) };
  headers['content-type'] = `${jsonMediaType(reply)}; charset=utf-8`;
  return { status: reply.status, headers, body: Buffer.from(JSON.stringify(reply.body)) };
}

const lowerCased = (headers: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

interface CompiledRoute {
  readonly route: AnyRoute;
  readonly method: string;
  /** A literal segment, lower-cased, or a parameter's name in braces. */
  readonly segments: readonly string[];
}

// Compiled once per route list, like the express router (`mountRoutes`).
const tables = new WeakMap<readonly AnyRoute[], readonly CompiledRoute[]>();

function routeTableOf(routes: readonly AnyRoute[]): readonly CompiledRoute[] {
  let table = tables.get(routes);
  if (table === undefined) {
    table = routes.map((route) => ({
      route,
      method: route.method.toUpperCase(),
      segments: route.path
        .split('/')
        .slice(1)
        .map((segment) => (segment.startsWith('{') ? segment : segment.toLowerCase())),
    }));
    tables.set(routes, table);
  }
  return table;
}

/**
 * The first route in the list that matches, as express's router picks one: paths compared
 * without regard to case or a trailing slash, each `{param}` a whole non-empty segment,
 * percent-decoded. Like express, it decodes every route whose path matches before looking at
 * the method, so a bad encoding is refused even on a path only another method serves.
 */
function matchRoute(
  table: readonly CompiledRoute[],
  method: string,
  path: string,
): { route: AnyRoute; params: Record<string, string> } | undefined {
  const segments = pathSegments(path);
  for (const candidate of table) {
    const params = matchPath(candidate, segments);
    if (params !== undefined && candidate.method === method) {
      return { route: candidate.route, params };
    }
  }
  return undefined;
}

/**
 * The `Allow` list express's router sends for OPTIONS: the methods of every route on the path,
 * HEAD with GET, sorted and comma-separated; undefined when no route serves the path.
 */
function allowedMethods(table: readonly CompiledRoute[], path: string): string | undefined {
  const segments = pathSegments(path);
  const methods = new Set<string>();
  for (const candidate of table) {
    if (matchPath(candidate, segments) === undefined) continue;
    methods.add(candidate.method);
    if (candidate.method === 'GET') methods.add('HEAD');
  }
  return methods.size === 0 ? undefined : [...methods].sort().join(', ');
}

function pathSegments(path: string): string[] {
  const segments = path.split('/').slice(1);
  if (segments.length > 1 && segments.at(-1) === '') segments.pop();
  return segments;
}

/** The route's parameters if `segments` is its path, else undefined. */
function matchPath(
  candidate: CompiledRoute,
  segments: readonly string[],
): Record<string, string> | undefined {
  if (candidate.segments.length !== segments.length) return undefined;
  // The whole pattern first, then the parameters decoded, as express does: a path that is
  // not this route's is never refused for its encoding here.
  const matched = candidate.segments.every((expected, index) => {
    const actual = segments[index] ?? '';
    return expected.startsWith('{') ? actual !== '' : expected === actual.toLowerCase();
  });
  if (!matched) return undefined;
  const params: Record<string, string> = {};
  candidate.segments.forEach((expected, index) => {
    if (expected.startsWith('{')) {
      params[expected.slice(1, -1)] = decodeURIComponent(segments[index] ?? '');
    }
  });
  return params;
}
