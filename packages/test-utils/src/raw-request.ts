import { request } from 'node:http';

/** What a client saw: a whole response, a cut one, or a connection error. */
export type RawOutcome =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly headers: Readonly<Record<string, string | string[] | undefined>>;
      readonly body: Buffer;
      /** False when the connection closed before the body was complete. */
      readonly complete: boolean;
      /** How many separate chunks the body arrived in. */
      readonly chunks: number;
      readonly elapsedMs: number;
    }
  | { readonly kind: 'error'; readonly code: string; readonly elapsedMs: number };

/**
 * One request on a fresh connection (no keep-alive reuse, no retries), as node:http sees it,
 * giving up after `timeoutMs` by destroying the socket.
 */
export interface RawRequestOptions {
  readonly method?: string;
  /** Sent as JSON. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Default 5 s; then the socket is destroyed and the outcome is `CLIENT_TIMEOUT`. */
  readonly timeoutMs?: number;
}

export function rawRequest(url: string, options: RawRequestOptions = {}): Promise<RawOutcome> {
  const started = performance.now();
  const elapsedMs = () => performance.now() - started;
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve) => {
    const req = request(url, {
      method: options.method ?? 'GET',
      agent: false,
      headers: {
        ...(payload === undefined
          ? {}
          : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        ...options.headers,
      },
    });
    const timer = setTimeout(
      () => req.destroy(Object.assign(new Error('gave up'), { code: 'CLIENT_TIMEOUT' })),
      options.timeoutMs ?? 5000,
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ kind: 'error', code: error.code ?? error.message, elapsedMs: elapsedMs() });
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      const done = () => {
        clearTimeout(timer);
        resolve({
          kind: 'response',
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          complete: res.complete,
          chunks: chunks.length,
          elapsedMs: elapsedMs(),
        });
      };
      res.on('end', done);
      res.on('error', done);
      res.on('close', done);
    });
    req.end(payload);
  });
}
