import { type FaultHandler, faultMiddleware } from '@esimlab/faults';
import type { CarrierContext } from '../../app/carrier-context.ts';

/**
 * The carrier's rules applied to every request but `/_sim/*`, `/healthz` and `/metrics`.
 * A `crash` rule arms its saga point for the request it fired on; if that request never
 * reaches the point (a GET, a declined card), the point is disarmed when it is over, unless
 * it had been armed already through `/_sim/crash-points`.
 */
export function carrierFaultMiddleware(context: CarrierContext): FaultHandler {
  return faultMiddleware(context.faults, {
    onCrash: (point) => {
      if (context.crashPoints.armed().includes(point)) return undefined;
      context.crashPoints.arm(point);
      return () => {
        context.crashPoints.take(point);
      };
    },
    onFault: ({ method, path, requestId, decision }) => {
      context.logger.info(
        {
          requestId,
          method,
          path,
          faultRules: decision.ruleIds,
          latencyMs: decision.latencyMs,
          fault: decision.terminal?.kind ?? 'latency',
        },
        'fault injected',
      );
    },
  });
}
