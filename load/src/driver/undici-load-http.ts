import { Agent, type Dispatcher } from 'undici';
import type { LoadAnswer, LoadRequest, NetworkFailureKind } from '../flow/load-runtime.ts';
import type { Counter, Rate, Trend } from './metrics/metric.ts';

/** The metrics every request feeds, as k6 names them. */
export interface HttpMetrics {
  readonly reqs: Counter;
  /** Milliseconds from sending the request to the end of the answer's body. */
  readonly duration: Trend;
  /** A network error or a status outside 200-399, as k6 counts failures. */
  readonly failed: Rate;
}

/** Thrown into an iteration cut short at the end of the graceful stop. */
export class IterationInterrupted extends Error {
  constructor() {
    super('the iteration was interrupted at the end of the graceful stop');
    this.name = 'IterationInterrupted';
  }
}

export interface UndiciLoadHttpOptions {
  /** Keep-alive connections per origin: one per VU, as k6 gives each VU its own. */
  readonly connections: number;
  readonly metrics?: HttpMetrics;
}

/**
 * The flows' HTTP over undici, kept lean because it must never be what limits a run. The
 * request's `timeoutMs` bounds the wait for the headers and, separately, for the body (undici's
 * own timers; a timer per request would cost more than the request at high rates).
 */
export class UndiciLoadHttp {
  readonly #agent: Agent;
  readonly #metrics: HttpMetrics | undefined;
  #interrupted = false;

  constructor(options: UndiciLoadHttpOptions) {
    this.#agent = new Agent({ connections: options.connections, pipelining: 1 });
    this.#metrics = options.metrics;
  }

  request(request: LoadRequest): Promise<LoadAnswer> {
    if (this.#interrupted) return Promise.reject(new IterationInterrupted());
    const { url } = request;
    const slash = url.indexOf('/', url.indexOf('//') + 2);
    return new Promise((resolve, reject) => {
      this.#agent.dispatch(
        {
          origin: slash < 0 ? url : url.slice(0, slash),
          path: slash < 0 ? '/' : url.slice(slash),
          method: request.method,
          headers: request.headers,
          body: request.body ?? null,
          headersTimeout: request.timeoutMs,
          bodyTimeout: request.timeoutMs,
        },
        new Exchange(this, request, resolve, reject),
      );
    });
  }

  get interrupted(): boolean {
    return this.#interrupted;
  }

  /** Counts one exchange in k6's http metrics. */
  record(request: LoadRequest, answer: LoadAnswer, ms: number): void {
    const metrics = this.#metrics;
    if (metrics === undefined) return;
    const failed = answer.type === 'network-error' || answer.status >= 400;
    metrics.reqs.add(1);
    if (metrics.duration.hasSubmetrics || metrics.failed.hasSubmetrics) {
      const tags = {
        name: request.name,
        method: request.method,
        status: String(answer.type === 'response' ? answer.status : 0),
        expected_response: String(!failed),
      };
      metrics.duration.add(ms, tags);
      metrics.failed.add(failed, tags);
    } else {
      metrics.duration.add(ms);
      metrics.failed.add(failed);
    }
  }

  /** Cuts every request in flight; from now on each request throws `IterationInterrupted`. */
  async interrupt(): Promise<void> {
    this.#interrupted = true;
    await this.#agent.destroy(new IterationInterrupted()).catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.#interrupted) return;
    await this.#agent.close();
  }
}

/**
 * One request's handler for undici's dispatcher: it collects the answer without a body
 * stream, records it and settles the request's promise. A class, not a literal of closures,
 * because one is made per request and the hot path must stay cheap.
 */
class Exchange implements Dispatcher.DispatchHandler {
  readonly #http: UndiciLoadHttp;
  readonly #request: LoadRequest;
  readonly #resolve: (answer: LoadAnswer) => void;
  readonly #reject: (error: Error) => void;
  readonly #startedAt = performance.now();
  readonly #chunks: Buffer[] = [];
  #status: number | undefined;
  #headers: Readonly<Record<string, string | string[] | undefined>> = {};

  constructor(
    http: UndiciLoadHttp,
    request: LoadRequest,
    resolve: (answer: LoadAnswer) => void,
    reject: (error: Error) => void,
  ) {
    this.#http = http;
    this.#request = request;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  // Its presence tells undici this handler speaks the current (controller) API.
  onRequestStart(): void {}

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Readonly<Record<string, string | string[] | undefined>>,
  ): void {
    this.#status = statusCode;
    this.#headers = headers;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.#request.discardBody) this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    const chunks = this.#chunks;
    const body =
      chunks.length === 0
        ? ''
        : chunks.length === 1
          ? (chunks[0]?.toString('utf8') ?? '')
          : Buffer.concat(chunks).toString('utf8');
    this.#settle({
      type: 'response',
      status: this.#status ?? 0,
      headers: flatHeaders(this.#headers),
      body,
    });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.#http.interrupted) {
      this.#reject(new IterationInterrupted());
      return;
    }
    const status = this.#status;
    this.#settle({
      type: 'network-error',
      kind: failureKind(error, status),
      message: error.message,
      ...(status === undefined ? {} : { status }),
    });
  }

  #settle(answer: LoadAnswer): void {
    this.#http.record(this.#request, answer, performance.now() - this.#startedAt);
    this.#resolve(answer);
  }
}

function flatHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function failureKind(error: unknown, status: number | undefined): NetworkFailureKind {
  const code = codeOf(error) ?? codeOf((error as { cause?: unknown } | null)?.cause);
  // Once the status line arrived, the body is what went missing, however the connection ended.
  if (status !== undefined && code !== 'UND_ERR_BODY_TIMEOUT') return 'reset';
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return 'reset';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return 'timeout';
    default:
      return 'other';
  }
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
