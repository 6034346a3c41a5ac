import type { InProcessResponse } from '@esimlab/carrier';
import type { CarrierTransport, TransportOutcome, TransportRequest } from '@esimlab/client';
import type { HttpFaultRule, TerminalFaultRule } from '@esimlab/faults';
import type { CarrierIncarnation, SimulatedCarrier } from '../carrier/simulated-carrier.ts';
import type { VirtualClock } from '../virtual-time/virtual-clock.ts';
import { injectedErrorResponse } from './internal/injected-error-response.ts';

export interface SimulatedTransportOptions {
  readonly carrier: SimulatedCarrier;
  readonly clock: VirtualClock;
}

/** What the network did to the requests it carried, by fault kind: for statistics and tests. */
export type NetworkFaultCounts = Partial<Record<TerminalFaultRule['kind'] | 'latency', number>>;

/**
 * The network between a client and a simulated carrier, on virtual time. Each request goes
 * straight into the carrier in this process (its in-process dispatch: the express app's
 * routes, without express), through the fault rules of the carrier's own fault plan (set with
 * `/_sim/faults`, rolled from its seed), applied here the way the carrier's fault middleware
 * applies them on a real socket:
 * - `latency`: virtual time passes before the request arrives (if the client's deadline
 *   passes first, it never arrives);
 * - `error`: the injected 5xx/429 problem, with `Retry-After`; the app never sees the request;
 * - `timeout`: never answered; the client gives up at its deadline;
 * - `reset-before`: the connection drops; the app never sees the request;
 * - `reset-after-commit`: the app runs to the end, then the answer is lost;
 * - `truncated`: the app runs, the client gets the status line and part of the body;
 * - `slow-body`: the body takes `durationMs` to arrive;
 * - `crash`: the request arms the rule's saga crash point.
 * A request still running at the client's deadline is hung up on (the app sees the client
 * disconnect); a carrier that dies meanwhile resets every connection; one that is down
 * refuses them.
 */
export class SimulatedTransport implements CarrierTransport {
  readonly #carrier: SimulatedCarrier;
  readonly #clock: VirtualClock;
  readonly faultCounts: NetworkFaultCounts = {};
  requests = 0;

  constructor(options: SimulatedTransportOptions) {
    this.#carrier = options.carrier;
    this.#clock = options.clock;
  }

  async exchange(request: TransportRequest): Promise<TransportOutcome> {
    this.requests++;
    const clock = this.#clock;
    const deadlineAt = clock.now() + request.timeoutMs;
    const incarnation = this.#carrier.current;
    if (!incarnation) return refused();
    const decision = incarnation.context.faults.decide({
      method: request.method,
      path: request.url.pathname,
      headers: request.headers,
    });
    if (decision.latencyMs > 0) {
      this.#count('latency');
      const wait = clock.now() + decision.latencyMs;
      if (wait >= deadlineAt) {
        await clock.sleep(deadlineAt - clock.now());
        return timedOut(request, 'before-response');
      }
      await clock.sleep(decision.latencyMs);
      // The process the request was on its way to died meanwhile.
      if (this.#carrier.current !== incarnation) return reset('before-response');
    }
    const fault = decision.terminal;
    if (fault) this.#count(fault.kind);
    switch (fault?.kind) {
      case 'error':
        return injectedErrorResponse(request, fault);
      case 'timeout':
        await clock.sleep(deadlineAt - clock.now());
        return timedOut(request, 'before-response');
      case 'reset-before':
        return reset('before-response');
      default:
        return this.#deliver(incarnation, request, deadlineAt, fault);
    }
  }

  close(): void {}

  /** The request reaches the app; what comes back depends on the fault, if any. */
  async #deliver(
    incarnation: CarrierIncarnation,
    request: TransportRequest,
    deadlineAt: number,
    fault: Exclude<TerminalFaultRule, { kind: 'error' | 'timeout' | 'reset-before' }> | undefined,
  ): Promise<TransportOutcome> {
    const disarm = fault?.kind === 'crash' ? armCrashPoint(incarnation, fault) : undefined;
    let answer: Answer;
    try {
      answer = await this.#dispatch(incarnation, request, deadlineAt);
    } finally {
      disarm?.();
    }
    if (answer.kind === 'timeout') return timedOut(request, 'before-response');
    if (answer.kind === 'crashed') return reset('before-response');
    const { response } = answer;
    switch (fault?.kind) {
      case 'reset-after-commit':
        return reset('before-response');
      case 'truncated':
        return {
          type: 'failure',
          kind: 'truncated',
          phase: 'after-headers',
          httpStatus: response.status,
          reason: `the connection closed before the body was complete (${Math.min(fault.params.bytes, Math.max(0, response.body.length - 1))} of ${response.body.length} bytes)`,
          cause: undefined,
        };
      case 'slow-body': {
        const clock = this.#clock;
        if (clock.now() + fault.params.durationMs >= deadlineAt) {
          await clock.sleep(deadlineAt - clock.now());
          return timedOut(request, 'after-headers', response.status);
        }
        await clock.sleep(fault.params.durationMs);
        return { type: 'response', ...response };
      }
      default:
        return { type: 'response', ...response };
    }
  }

  /** Runs the request in the carrier, until it answers, the client's deadline, or a crash. */
  #dispatch(
    incarnation: CarrierIncarnation,
    request: TransportRequest,
    deadlineAt: number,
  ): Promise<Answer> {
    const hangUp = new AbortController();
    const response = incarnation.app.dispatch({
      method: request.method,
      url: `${request.url.pathname}${request.url.search}`,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: hangUp.signal,
    });
    return new Promise<Answer>((resolve) => {
      let done = false;
      const finish = (answer: Answer): void => {
        if (done) return;
        done = true;
        deadline.cancel();
        unsubscribe();
        resolve(answer);
      };
      const deadline = this.#clock.setTimer(deadlineAt - this.#clock.now(), () => {
        // The client gives up and closes the connection; the carrier may notice (reference style).
        hangUp.abort(new Error('client disconnected'));
        finish({ kind: 'timeout' });
      });
      const unsubscribe = this.#carrier.onCrash((number) => {
        if (number === incarnation.number) finish({ kind: 'crashed' });
      });
      void response.then((answer) => finish({ kind: 'response', response: answer }));
    });
  }

  #count(kind: keyof NetworkFaultCounts): void {
    this.faultCounts[kind] = (this.faultCounts[kind] ?? 0) + 1;
  }
}

type Answer =
  | { readonly kind: 'response'; readonly response: InProcessResponse }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'crashed' };

/**
 * Arms the saga crash point a `crash` rule names for this request, as the carrier's fault
 * middleware does; returns the disarm for a point the request never reached.
 */
function armCrashPoint(
  incarnation: CarrierIncarnation,
  rule: Extract<HttpFaultRule, { kind: 'crash' }>,
): (() => void) | undefined {
  const points = incarnation.context.crashPoints;
  const point = rule.params.point;
  if (points.armed().includes(point)) return undefined;
  points.arm(point);
  return () => {
    points.take(point);
  };
}

const refused = (): TransportOutcome => ({
  type: 'failure',
  kind: 'refused',
  phase: 'before-response',
  reason: 'ECONNREFUSED: the carrier is not listening (it is restarting)',
  cause: undefined,
});

const reset = (phase: 'before-response' | 'after-headers'): TransportOutcome => ({
  type: 'failure',
  kind: 'reset',
  phase,
  reason: 'ECONNRESET: socket hang up',
  cause: undefined,
});

const timedOut = (
  request: TransportRequest,
  phase: 'before-response' | 'after-headers',
  httpStatus?: number,
): TransportOutcome => ({
  type: 'failure',
  kind: 'timeout',
  phase,
  ...(httpStatus === undefined ? {} : { httpStatus }),
  reason: `no complete answer within ${request.timeoutMs} ms`,
  cause: undefined,
});
