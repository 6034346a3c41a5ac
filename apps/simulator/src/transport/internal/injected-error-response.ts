import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TransportOutcome, TransportRequest } from '@esimlab/client';
import { type HttpFaultRule, writeInjectedError } from '@esimlab/faults';

type ErrorRule = Extract<HttpFaultRule, { kind: 'error' }>;

/**
 * The answer an `error` rule gives, written by the faults package's own `writeInjectedError`
 * into a stand-in response, so the simulated 5xx/429 is byte for byte the carrier's.
 */
export function injectedErrorResponse(
  request: TransportRequest,
  rule: ErrorRule,
): TransportOutcome {
  const headers: Record<string, string> = {};
  let status = 200;
  let body = Buffer.alloc(0);
  const res = {
    getHeader: (name: string) => headers[name.toLowerCase()],
    setHeader(name: string, value: string | number) {
      headers[name.toLowerCase()] = String(value);
    },
    set statusCode(value: number) {
      status = value;
    },
    end(chunk: string) {
      body = Buffer.from(chunk);
    },
  };
  const req = { url: `${request.url.pathname}${request.url.search}` };
  writeInjectedError(req as IncomingMessage, res as unknown as ServerResponse, rule);
  return { type: 'response', status, headers, body };
}
