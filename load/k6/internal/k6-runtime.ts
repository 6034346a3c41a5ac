import http from 'k6/http';
import { setTimeout } from 'k6/timers';
import type {
  LoadAnswer,
  LoadRequest,
  LoadRuntime,
  NetworkFailureKind,
} from '../../src/flow/load-runtime.ts';

/** The flows' runtime on k6: `http.asyncRequest` (k6 ≥ 0.43), `k6/timers` and `Date.now()`. */
export function k6Runtime(): LoadRuntime {
  return {
    async request(request: LoadRequest): Promise<LoadAnswer> {
      const response = await http.asyncRequest(request.method, request.url, request.body ?? null, {
        headers: { ...request.headers },
        timeout: request.timeoutMs,
        tags: { name: request.name },
        responseType: request.discardBody ? 'none' : 'text',
      });
      // k6 reports a request that got no complete answer as status 0 with an error code.
      if (response.status === 0) {
        return {
          type: 'network-error',
          kind: failureKind(response.error_code),
          message: response.error || `k6 error code ${response.error_code}`,
        };
      }
      const headers: Record<string, string> = {};
      for (const name of Object.keys(response.headers)) {
        const value = response.headers[name];
        if (value !== undefined) headers[name.toLowerCase()] = value;
      }
      return {
        type: 'response',
        status: response.status,
        headers,
        body: typeof response.body === 'string' ? response.body : '',
      };
    },
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        setTimeout(resolve, Math.max(0, ms));
      }),
    now: () => Date.now(),
    random: () => Math.random(),
  };
}

/**
 * k6's error codes (k6 docs, "Error codes"): 1212 refused, 1050 timeout, 1220/1201 reset. 1211
 * is a TCP dial timeout: nothing was sent, but it is counted as a timeout (outcome unknown),
 * which costs a lookup or a replay and never a second purchase.
 */
function failureKind(code: number): NetworkFailureKind {
  if (code === 1212) return 'refused';
  if (code === 1050 || code === 1211) return 'timeout';
  if (code === 1220 || code === 1201) return 'reset';
  return 'other';
}
