import type { ChargePurpose, Money } from '@esimlab/domain';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { invalidRequest, ProblemError } from '../../http/problem.ts';
import {
  type DeclineCode,
  isTestPaymentMethod,
  paymentBehaviour,
  unknownPaymentMethodMessage,
} from './payment-methods.ts';

/** What a caller asks the gateway to hold on the subscriber's payment method. */
export interface ChargeRequest {
  readonly tenantId: string;
  readonly iccid: string;
  readonly amount: Money;
  readonly purpose: ChargePurpose;
  readonly paymentMethod: string;
  readonly idempotencyKey?: string;
  /** The client's own reference for a top-up (the `reference` API style). */
  readonly clientReference?: string;
}

/** The gateway said yes: write it with `insertAuthorizedCharge` inside the caller's transaction. */
export interface ApprovedCharge {
  readonly status: 'approved';
  readonly request: ChargeRequest;
}

/** The gateway said no: nothing was held and nothing must be written. */
export interface DeclinedCharge {
  readonly status: 'declined';
  readonly code: DeclineCode;
  readonly detail: string;
  readonly retryAfterSeconds?: number;
}

export type ChargeDecision = ApprovedCharge | DeclinedCharge;

/**
 * Asks the mock gateway to authorize a charge. It writes nothing: a slow payment method
 * waits here, so call it before (never inside) a store transaction. An unknown payment
 * method is a 400 `invalid_request`.
 */
export async function authorizeCharge(
  context: CarrierContext,
  request: ChargeRequest,
): Promise<ChargeDecision> {
  if (!isTestPaymentMethod(request.paymentMethod)) {
    throw invalidRequest(unknownPaymentMethodMessage(), [
      { field: 'paymentMethod', message: unknownPaymentMethodMessage() },
    ]);
  }
  const behaviour = paymentBehaviour(request.paymentMethod);
  if (behaviour.kind === 'decline') {
    context.metrics.charges.inc({ purpose: request.purpose.kind, outcome: behaviour.code });
    return {
      status: 'declined',
      code: behaviour.code,
      detail: behaviour.detail,
      ...(behaviour.retryAfterSeconds === undefined
        ? {}
        : { retryAfterSeconds: behaviour.retryAfterSeconds }),
    };
  }
  if (behaviour.delayMs > 0) await context.scheduler.delay(behaviour.delayMs);
  return { status: 'approved', request };
}

/** The 402 problem for a declined charge, with `Retry-After` when a retry may succeed. */
export function declineProblem(decline: DeclinedCharge): ProblemError {
  return new ProblemError(402, decline.code, decline.detail, {
    ...(decline.retryAfterSeconds === undefined
      ? {}
      : { headers: { 'Retry-After': String(decline.retryAfterSeconds) } }),
  });
}

/** The approval, or the decline thrown as its 402 problem. */
export function requireApproval(decision: ChargeDecision): ApprovedCharge {
  if (decision.status === 'declined') throw declineProblem(decision);
  return decision;
}
