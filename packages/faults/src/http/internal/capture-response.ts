import type { ServerResponse } from 'node:http';

/** The captured response's writers, to send it (or part of it) after all. */
export interface ResponseWriters {
  writeHead(): void;
  write(chunk: Buffer, done?: () => void): void;
  end(): void;
}

type Callback = (error?: Error | null) => void;
type AnyWriter = (...args: unknown[]) => unknown;

/**
 * Keeps a response from reaching the socket: status, headers and body written by the handler
 * are held back, and once it ends, `onEnd` gets the whole body and the real writers. Nothing
 * at all is sent unless `onEnd` sends it.
 */
export function captureResponse(
  res: ServerResponse,
  onEnd: (body: Buffer, writers: ResponseWriters) => void,
): void {
  const patched = res as unknown as Record<
    'writeHead' | 'write' | 'end' | 'flushHeaders',
    AnyWriter
  >;
  const original = {
    writeHead: patched.writeHead,
    write: patched.write,
    end: patched.end,
    flushHeaders: patched.flushHeaders,
  };
  const chunks: Buffer[] = [];
  const collect = (chunk: unknown, encoding: unknown): void => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    chunks.push(
      typeof chunk === 'string'
        ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
        : Buffer.from(chunk as Uint8Array),
    );
  };
  const callbackOf = (args: unknown[]): Callback | undefined =>
    args.find((arg): arg is Callback => typeof arg === 'function');

  patched.writeHead = (statusCode: unknown, ...rest: unknown[]) => {
    res.statusCode = Number(statusCode);
    const headers = rest.find((arg) => typeof arg === 'object' && arg !== null);
    if (Array.isArray(headers)) {
      for (let i = 0; i + 1 < headers.length; i += 2) res.setHeader(headers[i], headers[i + 1]);
    } else if (headers) {
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    }
    return res;
  };
  patched.flushHeaders = () => undefined;
  patched.write = (chunk: unknown, ...rest: unknown[]) => {
    collect(chunk, rest[0]);
    callbackOf(rest)?.();
    return true;
  };
  patched.end = (chunk: unknown, ...rest: unknown[]) => {
    collect(chunk, rest[0]);
    Object.assign(patched, original);
    const callback = callbackOf([chunk, ...rest]);
    onEnd(Buffer.concat(chunks), {
      writeHead: () => {
        original.writeHead.call(res, res.statusCode);
        original.flushHeaders.call(res);
      },
      write: (part, done) => {
        original.write.call(res, part, done);
      },
      end: () => {
        original.end.call(res, callback);
      },
    });
    return res;
  };
}
