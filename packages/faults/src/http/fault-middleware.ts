import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultDecision, FaultPlan, TerminalFaultRule } from '../engine/fault-plan.ts';
import type { crashPointNames } from '../rules/fault-rule.ts';
import { writeInjectedError } from './injected-error.ts';
import { captureResponse } from './internal/capture-response.ts';

export type FaultCrashPoint = (typeof crashPointNames)[number];

/** A request some rule fired on. */
export interface InjectedFault {
  readonly method: string;
  readonly path: string;
  /** The response's `X-Request-Id`, when an earlier middleware set one. */
  readonly requestId: string | undefined;
  readonly decision: FaultDecision;
}

export interface FaultMiddlewareOptions {
  /**
   * Arms the saga crash point a `crash` rule names; the handler then runs and the process
   * exits there. May return a disarm, called once the response is over, for a point the
   * request never reached.
   */
  readonly onCrash?: (point: FaultCrashPoint) => undefined | (() => void);
  /** Told about every request a rule fired on, before the fault applies (logs, metrics). */
  readonly onFault?: (fault: InjectedFault) => void;
  /** Default: a real timer. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A connect/express-style handler over node's own request and response types. */
export type FaultHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

const timerSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Between two pieces of a `slow-body` response: often enough to look like a trickle. */
const SLOW_BODY_TICK_MS = 100;

/**
 * Applies `plan` to each request before the handlers see it: waits out the latency, then
 * applies the terminal fault, if any. Mount it after request ids and logging, before routes.
 */
export function faultMiddleware(
  plan: FaultPlan,
  options: FaultMiddlewareOptions = {},
): FaultHandler {
  const sleep = options.sleep ?? timerSleep;
  return (req, res, next) => {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const decision = plan.decide({ method, path, headers: req.headers });
    if (decision.ruleIds.length === 0) {
      next();
      return;
    }
    const requestId = res.getHeader('x-request-id');
    options.onFault?.({
      method,
      path,
      requestId: requestId === undefined ? undefined : String(requestId),
      decision,
    });
    let clientGone = false;
    res.once('close', () => {
      clientGone = !res.writableFinished;
    });
    const apply = async (): Promise<void> => {
      if (decision.latencyMs > 0) await sleep(decision.latencyMs);
      // The client gave up while the request was on its way: it never reaches the carrier.
      if (clientGone) return;
      if (decision.terminal) applyTerminal(decision.terminal, req, res, next, sleep, options);
      else next();
    };
    apply().catch(next);
  };
}

function applyTerminal(
  rule: TerminalFaultRule,
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
  sleep: (ms: number) => Promise<void>,
  options: FaultMiddlewareOptions,
): void {
  switch (rule.kind) {
    case 'error':
      writeInjectedError(req, res, rule);
      return;
    case 'timeout':
      // Never answered: the socket stays open until the client (or server shutdown) closes it.
      return;
    case 'reset-before':
      resetConnection(req);
      return;
    case 'reset-after-commit':
      // The handler writes, commits and answers; the answer is dropped and the connection reset.
      captureResponse(res, () => resetConnection(req));
      next();
      return;
    case 'truncated':
      captureResponse(res, (body, writers) => {
        setFullLength(res, body);
        // Always short of the whole body, or a large `bytes` would send a complete response.
        const sent = Math.min(rule.params.bytes, Math.max(0, body.length - 1));
        writers.writeHead();
        writers.write(body.subarray(0, sent), () => req.socket.destroySoon());
      });
      next();
      return;
    case 'slow-body':
      captureResponse(res, (body, writers) => {
        setFullLength(res, body);
        writers.writeHead();
        dribble(body, rule.params.durationMs, res, writers, sleep).catch(() =>
          req.socket.destroy(),
        );
      });
      next();
      return;
    case 'crash': {
      const disarm = options.onCrash?.(rule.params.point);
      if (disarm) res.once('close', disarm);
      next();
      return;
    }
  }
}

// A TCP RST, as a dropped mobile link or a middlebox gives; the client sees ECONNRESET.
function resetConnection(req: IncomingMessage): void {
  if (!req.socket.destroyed) req.socket.resetAndDestroy();
}

// The client must see how much it should have got, whatever it is then sent.
function setFullLength(res: ServerResponse, body: Buffer): void {
  if (!res.hasHeader('transfer-encoding')) res.setHeader('Content-Length', body.length);
}

async function dribble(
  body: Buffer,
  durationMs: number,
  res: ServerResponse,
  writers: { write(chunk: Buffer): void; end(): void },
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  const pieces = Math.max(1, Math.min(body.length, Math.ceil(durationMs / SLOW_BODY_TICK_MS)));
  const size = Math.ceil(body.length / pieces);
  const pause = Math.ceil(durationMs / pieces);
  for (let i = 0; i < pieces; i++) {
    await sleep(pause);
    if (res.destroyed) return;
    writers.write(body.subarray(i * size, (i + 1) * size));
  }
  writers.end();
}
