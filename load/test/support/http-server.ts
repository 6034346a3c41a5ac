import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  readonly url: string;
  /** When each request arrived, in ms since the server started. */
  readonly arrivals: number[];
  close(): Promise<void>;
}

/** A real node:http server on a free port that answers with `handle` and logs arrivals. */
export async function startTestServer(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TestServer> {
  const started = performance.now();
  const arrivals: number[] = [];
  const server = createServer((req, res) => {
    arrivals.push(performance.now() - started);
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Answers `{"ok":true}` with `status`, after `delayMs`. */
export const jsonAnswer =
  (status = 200, delayMs = 0) =>
  (_req: IncomingMessage, res: ServerResponse) => {
    const send = () => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    };
    if (delayMs > 0) setTimeout(send, delayMs);
    else send();
  };
