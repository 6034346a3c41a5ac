import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { NetworkErrorKind, NetworkErrorPhase } from '../errors/carrier-network-error.ts';
import type {
  CarrierTransport,
  TransportOutcome,
  TransportRequest,
} from '../transport/carrier-transport.ts';

/**
 * One HTTP exchange at a time over kept-alive connections, reporting every way it can fail
 * as a value that says how far it got. node:http rather than fetch, because fetch folds a
 * refused connection, a reset and a cut body into one "fetch failed".
 */
export class HttpExchanges implements CarrierTransport {
  readonly #http = new HttpAgent({ keepAlive: true });
  readonly #https = new HttpsAgent({ keepAlive: true });

  exchange(request: TransportRequest): Promise<TransportOutcome> {
    const secure = request.url.protocol === 'https:';
    return new Promise((resolve) => {
      let settled = false;
      let timedOut = false;
      let response: IncomingMessage | undefined;
      const chunks: Buffer[] = [];

      const settle = (outcome: TransportOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const fail = (error: unknown): void => {
        const phase: NetworkErrorPhase =
          response === undefined ? 'before-response' : 'after-headers';
        settle({
          type: 'failure',
          kind: timedOut ? 'timeout' : kindOf(error, phase),
          phase,
          ...(response?.statusCode === undefined ? {} : { httpStatus: response.statusCode }),
          reason: timedOut ? `no complete answer within ${request.timeoutMs} ms` : reasonOf(error),
          cause: error,
        });
      };

      const send = secure ? httpsRequest : httpRequest;
      const req = send(request.url, {
        method: request.method,
        headers: request.headers,
        agent: secure ? this.#https : this.#http,
      });
      const timer = setTimeout(() => {
        timedOut = true;
        // Destroying the socket, not just the request: it must never be reused for another call.
        req.destroy(new Error('attempt timed out'));
      }, request.timeoutMs);

      req.on('error', fail);
      req.on('response', (res) => {
        response = res;
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', fail);
        res.on('end', () => {
          if (!res.complete) {
            fail(new Error('the connection closed before the body was complete'));
            return;
          }
          settle({
            type: 'response',
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          });
        });
        res.on('close', () => {
          if (!res.complete) fail(new Error('the connection closed before the body was complete'));
        });
      });
      req.end(request.body);
    });
  }

  /** Closes every kept-alive connection. */
  close(): void {
    this.#http.destroy();
    this.#https.destroy();
  }
}

function kindOf(error: unknown, phase: NetworkErrorPhase): NetworkErrorKind {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  // After the headers, the body is what went missing, however the connection ended.
  if (phase === 'after-headers') return 'truncated';
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'reset';
    case 'ETIMEDOUT':
      return 'timeout';
    default:
      return 'other';
  }
}

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return code === undefined || error.message.includes(code)
    ? error.message
    : `${code}: ${error.message}`;
}
