// Engine-neutral: this folder (like scenarios/, summary/ and thresholds/) runs unchanged in k6
// and in Node, so it imports only relative modules and uses no Node or k6 API directly.

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** One HTTP request of a flow, as both engines can send it. */
export interface LoadRequest {
  readonly method: HttpMethod;
  /** Absolute, e.g. `http://127.0.0.1:4101/v1/plans`. */
  readonly url: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The whole exchange, body included. */
  readonly timeoutMs: number;
  /** Groups requests in the metrics (k6's `name` tag), e.g. `topup.create`. */
  readonly name: string;
  /** Read the body and throw it away (k6's `responseType: 'none'`): the answer's body is ''. */
  readonly discardBody?: boolean;
}

/**
 * How a request without an answer failed. `refused` means the carrier never saw it (safe to
 * send again in any style); every other kind leaves the request's effect unknown.
 */
export type NetworkFailureKind = 'refused' | 'reset' | 'timeout' | 'other';

export type LoadAnswer =
  | {
      readonly type: 'response';
      readonly status: number;
      /** Lower-case names. */
      readonly headers: Readonly<Record<string, string>>;
      readonly body: string;
    }
  | {
      readonly type: 'network-error';
      readonly kind: NetworkFailureKind;
      readonly message: string;
      /** The status line's code, when the failure came after the headers. */
      readonly status?: number;
    };

/**
 * What a flow needs from the engine running it: k6 implements it with `http.asyncRequest`
 * and `k6/timers`, the Node driver with undici and node:timers. A request never rejects for
 * a network failure (that is a `network-error` answer); it may reject when the engine
 * interrupts the iteration, and the flow lets that through.
 */
export interface LoadRuntime {
  request(request: LoadRequest): Promise<LoadAnswer>;
  sleep(ms: number): Promise<void>;
  /** Milliseconds on a clock that only moves forward. */
  now(): number;
  /** Uniform in [0, 1). */
  random(): number;
}
