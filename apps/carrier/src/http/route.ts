import type { z } from 'zod';
import type { CarrierContext } from '../app/carrier-context.ts';
import type { Tenant } from '../persistence/collections.ts';

/** Who may call a route: subscribers' apps with an API key, anyone, or the test control plane. */
export type RouteAccess = 'api-key' | 'public' | 'control-plane';

export interface RouteResponseSpec {
  readonly description: string;
  readonly schema?: z.ZodType;
  readonly contentType?: string;
}

/** What a handler sees: the validated body, query and path parameters, and the caller. */
export interface RouteInput<TBody, TQuery, TParams> {
  readonly body: TBody;
  readonly query: TQuery;
  readonly params: TParams;
  readonly tenant: Tenant | undefined;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The request's id, also in the `X-Request-Id` response header and in every log line. */
  readonly requestId: string;
  /** Aborted when the client disconnects before the response is sent. */
  readonly signal: AbortSignal;
}

export interface RouteReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Raw bytes (a PNG, an HTML page) instead of JSON. */
  readonly raw?: { readonly contentType: string; readonly data: Buffer | string };
}

/**
 * The media type of a reply's JSON body: an error's is a problem document (RFC 9457), as
 * every error is, whether thrown or answered (a declined purchase's 402 replayed under its key).
 */
export function jsonMediaType(reply: RouteReply): string {
  return reply.status >= 400 ? 'application/problem+json' : 'application/json';
}

/**
 * One HTTP operation, declared once: the router validates with these schemas and the
 * OpenAPI document is generated from the same declaration.
 */
export interface Route<TBody = unknown, TQuery = unknown, TParams = unknown> {
  readonly method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** OpenAPI-style path, e.g. `/v1/esims/{iccid}`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  readonly access: RouteAccess;
  readonly body?: z.ZodType<TBody>;
  readonly query?: z.ZodType<TQuery>;
  readonly params?: z.ZodType<TParams>;
  /**
   * Documents the `Idempotency-Key` header (the handler applies it through `withIdempotency`,
   * or `withAdmittedIdempotency` when carrier state decides whether a key is used).
   */
  readonly idempotencyKey?: 'optional' | 'required';
  readonly responses: Readonly<Record<number, RouteResponseSpec>>;
  readonly handle: (
    input: RouteInput<TBody, TQuery, TParams>,
    context: CarrierContext,
  ) => Promise<RouteReply>;
}

/** Declares a route with its types inferred from its schemas. */
export function defineRoute<TBody = undefined, TQuery = undefined, TParams = undefined>(
  route: Route<TBody, TQuery, TParams>,
): Route<TBody, TQuery, TParams> {
  return route;
}

// Routes of different shapes live in one list; each was type-checked by defineRoute.
// biome-ignore lint/suspicious/noExplicitAny: the list is heterogeneous by design
export type AnyRoute = Route<any, any, any>;
