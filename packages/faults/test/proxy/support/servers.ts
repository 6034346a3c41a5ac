import { createHash } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';

/** A body of `bytes` bytes that differs at every position a slicer could cut. */
export function patternBody(bytes: number): Buffer {
  const body = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) body[i] = (i * 31 + (i >> 8)) & 0xff;
  return body;
}

export const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

export interface TestUpstream {
  /** `127.0.0.1:port`, as a Toxiproxy upstream. */
  readonly address: string;
  readonly url: string;
  /** Requests received, in order, as `METHOD /path`. */
  readonly received: string[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 and a free port: `/hello` answers `hello`, `/bytes/{n}` a
 * body of n bytes (`patternBody`), `/echo` the request body, and every other path its method
 * and path as JSON.
 */
export async function startTestUpstream(): Promise<TestUpstream> {
  const received: string[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    received.push(`${request.method} ${request.url}`);
    const sent: Buffer[] = [];
    request.on('data', (chunk: Buffer) => sent.push(chunk));
    request.on('end', () => {
      if (request.url === '/echo') {
        const body = Buffer.concat(sent);
        response
          .writeHead(200, {
            'content-type': request.headers['content-type'] ?? 'application/octet-stream',
            'content-length': body.length,
          })
          .end(body);
        return;
      }
      const bytes = /^\/bytes\/(\d+)$/.exec(request.url ?? '');
      const [type, body] =
        request.url === '/hello'
          ? ['text/plain', Buffer.from('hello')]
          : bytes
            ? ['application/octet-stream', patternBody(Number(bytes[1]))]
            : [
                'application/json',
                Buffer.from(JSON.stringify({ method: request.method, path: request.url })),
              ];
      response.writeHead(200, { 'content-type': type, 'content-length': body.length }).end(body);
    });
  });
  server.keepAliveTimeout = 2_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    received,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** How a raw exchange over one TCP connection ended, and what came back. */
export interface Exchange {
  readonly data: Buffer;
  /** `end`: a FIN; `reset`: ECONNRESET; `refused`: nothing listens; `open`: still open at the deadline. */
  readonly outcome: 'end' | 'reset' | 'refused' | 'open';
  /** Milliseconds from the request to the first byte (undefined without one). */
  readonly firstByteMs: number | undefined;
  /** Milliseconds from the request to the outcome (the deadline for `open`). */
  readonly elapsedMs: number;
  /** Milliseconds from the last byte to the close (undefined without data). */
  readonly closeAfterLastByteMs: number | undefined;
  /** How many reads it took. */
  readonly reads: number;
}

/**
 * Sends `GET path` with `Connection: close` over a fresh connection to `listen` and watches
 * the raw bytes and how the connection ends, for at most `deadlineMs`.
 */
export function exchange(listen: string, path: string, deadlineMs = 5_000): Promise<Exchange> {
  const [host, port] = splitListen(listen);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const start = performance.now();
    let firstByteAt: number | undefined;
    let lastByteAt: number | undefined;
    let settled = false;
    const socket = connect({ host, port });
    const settle = (outcome: Exchange['outcome']): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const now = performance.now();
      socket.destroy();
      resolve({
        data: Buffer.concat(chunks),
        outcome,
        firstByteMs: firstByteAt === undefined ? undefined : firstByteAt - start,
        elapsedMs: now - start,
        closeAfterLastByteMs: lastByteAt === undefined ? undefined : now - lastByteAt,
        reads: chunks.length,
      });
    };
    const timer = setTimeout(() => settle('open'), deadlineMs);
    socket.on('connect', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${listen}\r\nConnection: close\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      lastByteAt = performance.now();
      firstByteAt ??= lastByteAt;
      chunks.push(chunk);
    });
    socket.on('end', () => settle('end'));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      settle(
        error.code === 'ECONNREFUSED' ? 'refused' : error.code === 'ECONNRESET' ? 'reset' : 'end',
      ),
    );
  });
}

/** The body of a raw HTTP/1.1 response without chunked encoding. */
export function responseBody(data: Buffer): Buffer {
  const headerEnd = data.indexOf('\r\n\r\n');
  return headerEnd < 0 ? Buffer.alloc(0) : data.subarray(headerEnd + 4);
}

export function splitListen(listen: string): [string, number] {
  const colon = listen.lastIndexOf(':');
  return [listen.slice(0, colon).replace(/^\[|\]$/g, ''), Number(listen.slice(colon + 1))];
}

export interface HttpOutcome {
  readonly status?: number;
  readonly headers?: Record<string, string | string[] | undefined>;
  readonly body?: Buffer;
  /** The error code when no complete response came (ECONNRESET, …). */
  readonly error?: string;
  readonly elapsedMs: number;
}

/** One request over a fresh connection (no pooling), reporting a reset or abort as a value. */
export function httpCall(
  url: string,
  options: {
    method?: string;
    body?: string;
    headers?: Record<string, string>;
    timeoutMs?: number;
  } = {},
): Promise<HttpOutcome> {
  const start = performance.now();
  return new Promise((resolve) => {
    const done = (outcome: Omit<HttpOutcome, 'elapsedMs'>): void =>
      resolve({ ...outcome, elapsedMs: performance.now() - start });
    const req = httpRequest(
      url,
      { method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', (error: NodeJS.ErrnoException) =>
          done({ status: res.statusCode ?? 0, error: error.code ?? error.message }),
        );
      },
    );
    req.setTimeout(options.timeoutMs ?? 5_000, () =>
      req.destroy(Object.assign(new Error('timed out'), { code: 'TIMEOUT' })),
    );
    req.on('error', (error: NodeJS.ErrnoException) => done({ error: error.code ?? error.message }));
    req.end(options.body);
  });
}
