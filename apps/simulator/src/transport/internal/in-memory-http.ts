import { type IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';

/** A request handed straight to a node request listener (an express app), with no socket. */
export interface InMemoryRequest {
  readonly method: string;
  /** Path and query, e.g. `/v1/esims?limit=2`. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
}

export interface InMemoryResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** One request in flight: its answer, and a way to hang up before the answer is complete. */
export interface InMemoryExchange {
  readonly response: Promise<InMemoryResponse>;
  /**
   * The client goes away: the listener sees the response closed before it finished (as on a
   * dropped connection), and whatever it writes afterwards is discarded.
   */
  hangUp(): void;
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

// Sockets are never written to: the response is captured above them. One unconnected socket
// object serves as every request's `req.socket` (express reads its address fields only).
const detachedSocket = new Socket();

/**
 * Dispatches a request into a request listener in this process, with real `IncomingMessage`
 * and `ServerResponse` objects: the listener parses the body from the request stream and
 * answers through the usual `res` methods, whose output is captured instead of being
 * serialised onto a socket. Lighter than light-my-request (no option validation, no stream
 * per response), which matters at thousands of runs a second.
 */
export function dispatchInMemory(listener: Listener, request: InMemoryRequest): InMemoryExchange {
  const req = new IncomingMessage(detachedSocket);
  req.method = request.method;
  req.url = request.url;
  req.httpVersion = '1.1';
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  const headers: IncomingHttpHeaders = { ...request.headers };
  const rawHeaders: string[] = [];
  for (const [name, value] of Object.entries(request.headers)) rawHeaders.push(name, value);
  req.headers = headers;
  req.rawHeaders = rawHeaders;
  if (request.body !== undefined && request.body.length > 0) req.push(request.body);
  req.push(null);
  req.complete = true;

  const res = new ServerResponse(req);
  const chunks: Buffer[] = [];
  let hungUp = false;
  let resolveResponse: (response: InMemoryResponse) => void = () => undefined;
  const response = new Promise<InMemoryResponse>((resolve) => {
    resolveResponse = resolve;
  });

  const capture = (chunk: unknown, encoding: unknown): void => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    chunks.push(
      Buffer.isBuffer(chunk)
        ? chunk
        : Buffer.from(
            chunk as string,
            typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
          ),
    );
  };
  // Own properties, so they stay in front of whatever prototype express gives `res`.
  Object.assign(res, {
    write(chunk: unknown, encoding?: unknown): boolean {
      if (!res.headersSent) (res as unknown as { _implicitHeader(): void })._implicitHeader();
      capture(chunk, encoding);
      return true;
    },
    end(chunk?: unknown, encoding?: unknown): ServerResponse {
      if (res.writableEnded) return res;
      if (!res.headersSent) (res as unknown as { _implicitHeader(): void })._implicitHeader();
      capture(chunk, encoding);
      (res as unknown as { finished: boolean }).finished = true;
      if (!hungUp) {
        resolveResponse({
          status: res.statusCode,
          headers: answerHeaders(res),
          body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks),
        });
      }
      res.emit('prefinish');
      res.emit('finish');
      res.emit('close');
      return res;
    },
  });

  listener(req, res);
  return {
    response,
    hangUp() {
      if (hungUp || res.writableEnded) return;
      hungUp = true;
      res.destroy();
      req.emit('aborted');
      res.emit('close');
    },
  };
}

function answerHeaders(res: ServerResponse): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.map(String) : String(value);
  }
  return headers;
}
