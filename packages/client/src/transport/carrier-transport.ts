import type { IncomingHttpHeaders } from 'node:http';
import type { NetworkErrorKind, NetworkErrorPhase } from '../errors/carrier-network-error.ts';
import { HttpExchanges } from '../internal/http-exchange.ts';

/** One HTTP request as the client puts it on the wire: URL, headers and body all final. */
export interface TransportRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  /** The whole exchange, body included, must finish within this. */
  readonly timeoutMs: number;
}

/**
 * What came back: a complete answer (any status), or a failure that says how far the exchange
 * got. A failure `before-response` means no status line arrived; `after-headers` means the
 * status and headers did (so the carrier processed the request) but the body did not.
 */
export type TransportOutcome =
  | {
      readonly type: 'response';
      readonly status: number;
      readonly headers: IncomingHttpHeaders;
      readonly body: Buffer;
    }
  | {
      readonly type: 'failure';
      readonly kind: NetworkErrorKind;
      readonly phase: NetworkErrorPhase;
      readonly httpStatus?: number;
      readonly reason: string;
      readonly cause: unknown;
    };

/**
 * How a `CarrierClient` exchanges bytes with a carrier. The default goes over node:http with
 * kept-alive connections; a simulation plugs in its own (an in-process carrier, a virtual
 * clock, seeded network faults) and the client above it behaves exactly as on a real network.
 * `exchange` never rejects for a network failure: it resolves with a `failure` outcome.
 */
export interface CarrierTransport {
  exchange(request: TransportRequest): Promise<TransportOutcome>;
  /** Releases what the transport holds (kept-alive connections); later exchanges start afresh. */
  close(): void;
}

/** The default transport: real HTTP(S) over node:http, one exchange per request. */
export function httpTransport(): CarrierTransport {
  return new HttpExchanges();
}
