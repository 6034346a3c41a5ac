import { randomUUID } from 'node:crypto';
import { StoreClosedError, TransactionConflictError } from '@esimlab/store';
import express, { type ErrorRequestHandler, type Request, type Response, Router } from 'express';
import type { z } from 'zod';
import type { CarrierContext } from '../app/carrier-context.ts';
import { authenticate, authorizeControlPlane } from '../features/tenants/tenant-keys.ts';
import { bodyParserProblem, jsonBody } from './json-body.ts';
import { type FieldError, invalidRequest, ProblemError } from './problem.ts';
import { type AnyRoute, jsonMediaType, type RouteReply } from './route.ts';

/** `/v1/esims/{iccid}` → `/v1/esims/:iccid` */
export const expressPath = (path: string): string => path.replaceAll(/\{([a-zA-Z]+)\}/g, ':$1');

/**
 * Mounts every route: access control, validation from the route's schemas, then the handler.
 * The router is built once per route list and shared by every app in the process (the
 * simulator makes one carrier app per run); each request finds its carrier through its app.
 */
export function mountRoutes(routes: readonly AnyRoute[]): Router {
  let router = routers.get(routes);
  if (router === undefined) {
    router = buildRouter(routes);
    routers.set(routes, router);
  }
  return router;
}

const routers = new WeakMap<readonly AnyRoute[], Router>();

/** Makes `context` the carrier the routes of `app` serve. */
export function serveCarrier(app: express.Express, context: CarrierContext): void {
  app.locals.carrierContext = context;
}

function buildRouter(routes: readonly AnyRoute[]): Router {
  const router = Router();
  for (const route of routes) {
    router[route.method](expressPath(route.path), jsonBody, async (req, res) => {
      const context = req.app.locals.carrierContext as CarrierContext;
      res.locals.route = route.path;
      const reply = await runRoute(route, context, {
        params: req.params as Record<string, string>,
        query: { ...(req.query as object) },
        body: req.body,
        headers: req.headers as Record<string, string | undefined>,
        requestId: String(res.locals.requestId),
        signal: abortOnClose(req, res),
      });
      send(res, reply);
    });
  }
  return router;
}

/** A request as every transport hands it to a route: parsed, but not yet validated. */
export interface RouteRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, unknown>>;
  /** The parsed JSON body; undefined when none was sent. */
  readonly body: unknown;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly requestId: string;
  readonly signal: AbortSignal;
}

/**
 * What every transport runs for a matched route (express on a socket, the simulator's
 * network in process): access control, validation from the route's schemas, then the handler.
 */
export function runRoute(
  route: AnyRoute,
  context: CarrierContext,
  request: RouteRequest,
): Promise<RouteReply> {
  return context.requests.track(() => handleRoute(route, context, request));
}

async function handleRoute(
  route: AnyRoute,
  context: CarrierContext,
  request: RouteRequest,
): Promise<RouteReply> {
  const tenant =
    route.access === 'api-key'
      ? await authenticate(context, request.headers.authorization)
      : undefined;
  if (route.access === 'control-plane') {
    authorizeControlPlane(context, request.headers['x-sim-admin-token']);
  }
  return route.handle(
    {
      params: parse(route.params, request.params, 'path'),
      query: parse(route.query, request.query, 'query'),
      body: parse(route.body, request.body, 'body'),
      tenant,
      headers: request.headers,
      requestId: request.requestId,
      signal: request.signal,
    },
    context,
  );
}

function parse(
  schema: z.ZodType | undefined,
  value: unknown,
  where: 'path' | 'query' | 'body',
): unknown {
  if (!schema) {
    if (where === 'body' && value !== undefined) {
      throw invalidRequest('this endpoint takes no request body; send none');
    }
    return undefined;
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors: FieldError[] = result.error.issues.map((issue) => ({
    field: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const first = errors[0];
  throw invalidRequest(
    first ? `${first.field}: ${first.message}` : `the request ${where} is invalid`,
    errors,
  );
}

function abortOnClose(req: Request, res: Response): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new Error('client disconnected'));
  });
  req.on('aborted', () => controller.abort(new Error('client disconnected')));
  return controller.signal;
}

export function send(res: Response, reply: RouteReply): void {
  if (res.headersSent || res.destroyed) return;
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  res.status(reply.status);
  if (reply.raw) {
    res.type(reply.raw.contentType).send(reply.raw.data);
  } else if (reply.body === undefined) {
    res.end();
  } else {
    res.type(jsonMediaType(reply)).json(reply.body);
  }
}

/** Gives every request an id (or keeps the caller's `X-Request-Id`) and echoes it. */
export const requestId: express.RequestHandler = (req, res, next) => {
  const incoming = req.header('x-request-id');
  const id = incoming && /^[\w.:-]{1,128}$/.test(incoming) ? incoming : randomUUID();
  res.locals.requestId = id;
  res.setHeader('X-Request-Id', id);
  next();
};

/** The last handler: problems as `application/problem+json`; a bug is logged and is a 500. */
export function problemHandler(context: CarrierContext): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const problem = problemFor(error, context, req.method, req.originalUrl);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
    res
      .status(problem.status)
      .type('application/problem+json')
      .send(problemBody(problem, req.originalUrl, String(res.locals.requestId)));
  };
}

/** The problem an error answers as: its own, a conflict's 503, a body's 4xx, else a logged 500. */
export function problemFor(
  error: unknown,
  context: CarrierContext,
  method: string,
  url: string,
): ProblemError {
  if (error instanceof ProblemError) return error;
  if (error instanceof TransactionConflictError)
    return conflictProblem(context, method, url, error);
  // Past the drain grace a stopping carrier closes its store under what still runs.
  if (error instanceof StoreClosedError) {
    return new ProblemError(
      503,
      'carrier_stopping',
      'the carrier stopped before this request was done; retry with the same Idempotency-Key (or look up your clientReference first) once it is back',
      { headers: { 'Retry-After': '1' } },
    );
  }
  // A path parameter that is not valid percent-encoding (`/v1/esims/%E0%A4%A`).
  if (error instanceof URIError) {
    return invalidRequest(`the path ${url.split('?')[0]} is not valid percent-encoding`);
  }
  return bodyParserProblem(error) ?? internalError(context, method, url, error);
}

/** The `application/problem+json` document of a problem. */
export function problemBody(problem: ProblemError, instance: string, requestId: string): string {
  return JSON.stringify({ ...problem.toBody(), instance, requestId });
}

/**
 * Replicas on PostgreSQL: a transaction that lost to concurrent ones too many times in a row.
 * It was rolled back, so the client is told to retry, as with any transient 503.
 */
function conflictProblem(
  context: CarrierContext,
  method: string,
  url: string,
  error: TransactionConflictError,
): ProblemError {
  context.logger.warn(
    { err: error, method, url, attempts: error.attempts },
    'transaction kept conflicting',
  );
  return new ProblemError(
    503,
    'transaction_conflict',
    `concurrent requests (on this carrier's other replicas, or this one) kept changing the same data, and this step was rolled back after ${error.attempts} attempts; retry after Retry-After with the same Idempotency-Key (or look up your clientReference first)`,
    { headers: { 'Retry-After': '1' } },
  );
}

function internalError(
  context: CarrierContext,
  method: string,
  url: string,
  error: unknown,
): ProblemError {
  context.logger.error({ err: error, method, url }, 'unhandled error');
  return new ProblemError(
    500,
    'internal_error',
    'the carrier hit an unexpected error; see its log',
  );
}

/** 404 for paths no route knows, as a problem rather than express's HTML page. */
export const unknownPath: express.RequestHandler = (req, _res, next) => {
  next(routeNotFound(req.method, req.path));
};

export function routeNotFound(method: string, path: string): ProblemError {
  return new ProblemError(
    404,
    'route_not_found',
    `no route ${method} ${path}; the API is described at GET /openapi.json and /docs`,
  );
}
