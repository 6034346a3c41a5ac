import {
  Agent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import { formatHostPort, type HostPort } from './host-port.ts';

// Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are not forwarded.
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function endToEnd(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase()),
  );
  const kept: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !hopByHop.has(name) && !named.has(name)) kept[name] = value;
  }
  return kept;
}

/**
 * Sends requests on to `upstream` over kept-alive connections and streams the answers back
 * unchanged (apart from hop-by-hop headers). `Host` is kept, as a TCP proxy would keep it.
 */
export function createRequestForwarder(upstream: HostPort): {
  forward(req: IncomingMessage, res: ServerResponse): void;
  close(): void;
} {
  const agent = new Agent({ keepAlive: true });
  return {
    forward(req, res) {
      const outgoing = httpRequest(
        {
          host: upstream.host,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: endToEnd(req.headers),
          agent,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers));
          answer.pipe(res);
          answer.on('error', () => res.destroy());
        },
      );
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        answerUnreachable(res, upstream, error);
      });
      // The client left before the answer was through: stop asking the upstream.
      res.once('close', () => {
        if (!res.writableFinished) outgoing.destroy();
      });
      req.pipe(outgoing);
    },
    close() {
      agent.destroy();
    },
  };
}

function answerUnreachable(
  res: ServerResponse,
  upstream: HostPort,
  error: NodeJS.ErrnoException,
): void {
  const body = JSON.stringify({
    type: 'https://esimlab.dev/problems/upstream-unreachable',
    title: 'Bad Gateway',
    status: 502,
    detail: `the esimlab proxy could not reach its upstream ${formatHostPort(upstream)} (${error.code ?? error.message}); is that server running?`,
    code: 'upstream_unreachable',
  });
  res.writeHead(502, {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
