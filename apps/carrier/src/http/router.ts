import { randomUUID } from 'node:crypto';
import { TransactionConflictError } from '@esimlab/store';
import express, { type ErrorRequestHandler, type Request, type Response, Router } from 'express';
import type { z } from 'zod';
import type { CarrierContext } from '../app/carrier-context.ts';
import { authenticate, authorizeControlPlane } from '../features/tenants/tenant-keys.ts';
import { bodyParserProblem, jsonBody } from './json-body.ts';
import { type FieldError, invalidRequest, ProblemError } from './problem.ts';
import type { AnyRoute, RouteReply } from './route.ts';

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
      const tenant =
        route.access === 'api-key'
          ? await authenticate(context, req.header('authorization'))
          : undefined;
      if (route.access === 'control-plane')
        authorizeControlPlane(context, req.header('x-sim-admin-token'));
      const input = {
        params: parse(route.params, req.params, 'path'),
        query: parse(route.query, { ...(req.query as object) }, 'query'),
        body: parse(route.body, req.body, 'body'),
        tenant,
        headers: req.headers as Record<string, string | undefined>,
        requestId: String(res.locals.requestId),
        signal: abortOnClose(req, res),
      };
      send(res, await route.handle(input, context));
    });
  }
  return router;
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
    res.json(reply.body);
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
    const problem =
      error instanceof ProblemError
        ? error
        : error instanceof TransactionConflictError
          ? conflictProblem(context, req, error)
          : (bodyParserProblem(error) ?? internalError(context, req, error));
    if (res.headersSent) {
      res.destroy();
      return;
    }
    for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
    res
      .status(problem.status)
      .type('application/problem+json')
      .send(
        JSON.stringify({
          ...problem.toBody(),
          instance: req.originalUrl,
          requestId: res.locals.requestId,
        }),
      );
  };
}

/**
 * Replicas on PostgreSQL: a transaction that lost to concurrent ones too many times in a row.
 * It was rolled back, so the client is told to retry, as with any transient 503.
 */
function conflictProblem(
  context: CarrierContext,
  req: Request,
  error: TransactionConflictError,
): ProblemError {
  context.logger.warn(
    { err: error, method: req.method, url: req.originalUrl, attempts: error.attempts },
    'transaction kept conflicting',
  );
  return new ProblemError(
    503,
    'transaction_conflict',
    `concurrent requests (on this carrier's other replicas, or this one) kept changing the same data, and this step was rolled back after ${error.attempts} attempts; retry after Retry-After with the same Idempotency-Key (or look up your clientReference first)`,
    { headers: { 'Retry-After': '1' } },
  );
}

function internalError(context: CarrierContext, req: Request, error: unknown): ProblemError {
  context.logger.error({ err: error, method: req.method, url: req.originalUrl }, 'unhandled error');
  return new ProblemError(
    500,
    'internal_error',
    'the carrier hit an unexpected error; see its log',
  );
}

/** 404 for paths no route knows, as a problem rather than express's HTML page. */
export const unknownPath: express.RequestHandler = (req, _res, next) => {
  next(
    new ProblemError(
      404,
      'route_not_found',
      `no route ${req.method} ${req.path}; the API is described at GET /openapi.json and /docs`,
    ),
  );
};
