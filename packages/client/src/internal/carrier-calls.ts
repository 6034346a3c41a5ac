import type { IncomingHttpHeaders } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { CallOptions } from '../call-options.ts';
import type { Problem } from '../contract/problem.ts';
import { CarrierNetworkError } from '../errors/carrier-network-error.ts';
import { CarrierProblemError, type RequestTarget } from '../errors/carrier-problem-error.ts';
import { parseRetryAfter } from '../errors/retry-after.ts';
import type { CarrierTransport } from '../transport/carrier-transport.ts';

/** Who the call authenticates as: a tenant's API key, the control plane, or nobody (a phone). */
export type CallAuth = 'api-key' | 'control-plane' | 'none';

export interface CarrierCall {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Starts with `/`; path parameters already encoded. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  /** Sent as JSON. */
  readonly body?: unknown;
  readonly auth: CallAuth;
  readonly headers?: Readonly<Record<string, string>>;
  readonly options?: CallOptions | undefined;
}

export interface CarrierReply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface CallSettings {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly adminToken: string | undefined;
  readonly timeoutMs: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Carries the bytes: node:http by default, an in-process carrier under simulation. */
  readonly transport: CarrierTransport;
}

const USER_AGENT = 'esimlab-client/0.1';

/**
 * Sends calls to one carrier and turns what comes back into a reply, a `CarrierProblemError`
 * or a `CarrierNetworkError`. It never retries: whether a retry is safe depends on the
 * operation, so that decision belongs to the caller (see `purchaseTopup`).
 */
export class CarrierCalls {
  readonly #settings: CallSettings;
  readonly #transport: CarrierTransport;
  #maxProcessingMs: number | undefined;

  constructor(settings: CallSettings) {
    this.#settings = settings;
    this.#transport = settings.transport;
  }

  get baseUrl(): string {
    return this.#settings.baseUrl;
  }

  /** The carrier's last `Esimlab-Max-Processing-Ms`, once any answer carried one. */
  get maxProcessingMs(): number | undefined {
    return this.#maxProcessingMs;
  }

  async send(call: CarrierCall): Promise<CarrierReply> {
    const url = this.#urlOf(call);
    const target: RequestTarget = { method: call.method, url: url.toString() };
    const payload = call.body === undefined ? undefined : Buffer.from(JSON.stringify(call.body));
    const outcome = await this.#transport.exchange({
      method: call.method,
      url,
      headers: this.#headersOf(call, payload),
      ...(payload === undefined ? {} : { body: payload }),
      timeoutMs: call.options?.timeoutMs ?? this.#settings.timeoutMs,
    });
    if (outcome.type === 'failure') {
      throw new CarrierNetworkError(target, {
        kind: outcome.kind,
        phase: outcome.phase,
        ...(outcome.httpStatus === undefined ? {} : { httpStatus: outcome.httpStatus }),
        reason: outcome.reason,
        cause: outcome.cause,
      });
    }
    this.#maxProcessingMs = maxProcessingOf(outcome) ?? this.#maxProcessingMs;
    if (outcome.status < 200 || outcome.status > 299) {
      throw problemErrorOf(target, outcome);
    }
    return outcome;
  }

  /** Sends the call and reads its answer as JSON. */
  async json<T>(call: CarrierCall): Promise<T> {
    return (await this.jsonReply<T>(call)).value;
  }

  /** Sends the call and reads its answer as JSON, keeping the status and headers. */
  async jsonReply<T>(call: CarrierCall): Promise<{ reply: CarrierReply; value: T }> {
    const reply = await this.send(call);
    return { reply, value: parseJsonReply<T>(reply, call, this.#urlOf(call)) };
  }

  close(): void {
    this.#transport.close();
  }

  #urlOf(call: CarrierCall): URL {
    // Appended, not resolved: a base URL with a path prefix (a proxy) keeps it.
    const url = new URL(`${this.#settings.baseUrl.replace(/\/+$/, '')}${call.path}`);
    for (const [name, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url;
  }

  #headersOf(call: CarrierCall, payload: Buffer | undefined): Record<string, string> {
    const headers: Record<string, string> = {
      accept: 'application/json, application/problem+json',
      'user-agent': USER_AGENT,
    };
    for (const [name, value] of Object.entries(this.#settings.headers)) {
      headers[name.toLowerCase()] = value;
    }
    if (call.auth === 'api-key') headers.authorization = `Bearer ${this.#settings.apiKey}`;
    if (call.auth === 'control-plane' && this.#settings.adminToken !== undefined) {
      headers['x-sim-admin-token'] = this.#settings.adminToken;
    }
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    for (const [name, value] of Object.entries(call.headers ?? {})) {
      headers[name.toLowerCase()] = value;
    }
    return headers;
  }
}

/** The `Esimlab-Max-Processing-Ms` of one reply, if it carries one. */
export function maxProcessingOf(reply: Pick<CarrierReply, 'headers'>): number | undefined {
  const raw = reply.headers['esimlab-max-processing-ms'];
  const value = typeof raw === 'string' ? Number(raw) : Number.NaN;
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function parseJsonReply<T>(reply: CarrierReply, call: CarrierCall, url: URL): T {
  if (reply.body.length === 0) return undefined as T;
  try {
    return JSON.parse(reply.body.toString('utf8')) as T;
  } catch (error) {
    // A complete 2xx that is not JSON: the carrier acted, but its answer cannot be read.
    throw new CarrierNetworkError(
      { method: call.method, url: url.toString() },
      {
        kind: 'other',
        phase: 'after-headers',
        httpStatus: reply.status,
        reason: 'the body is not valid JSON',
        cause: error,
      },
    );
  }
}

function problemErrorOf(target: RequestTarget, reply: CarrierReply): CarrierProblemError {
  const text = reply.body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const retryAfterHeader = reply.headers['retry-after'];
  const retryAfterMs = parseRetryAfter(
    typeof retryAfterHeader === 'string' ? retryAfterHeader : undefined,
    Date.now(),
  );
  const options = retryAfterMs === undefined ? {} : { retryAfterMs };
  if (isProblem(parsed)) {
    return new CarrierProblemError(target, parsed, { ...options, raw: parsed });
  }
  const problem: Problem = {
    type: 'about:blank',
    title: STATUS_CODES[reply.status] ?? 'Error',
    status: reply.status,
    detail:
      text.length === 0
        ? 'the answer had no body'
        : `the answer is not a problem document: ${text.slice(0, 200)}`,
    code: 'unexpected_response',
  };
  return new CarrierProblemError(target, problem, options);
}

function isProblem(value: unknown): value is Problem & Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.code === 'string' &&
    typeof v.status === 'number' &&
    typeof v.title === 'string' &&
    typeof v.detail === 'string' &&
    typeof v.type === 'string'
  );
}
