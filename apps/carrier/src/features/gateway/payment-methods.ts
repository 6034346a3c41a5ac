import { z } from 'zod';

/**
 * The contract's test payment methods, as at Stripe: a payment method id decides the
 * gateway's answer, so a client can rehearse every outcome on purpose.
 */
export const testPaymentMethods = [
  'pm_card_visa',
  'pm_card_mastercard',
  'pm_paypal',
  'pm_card_chargeDeclined',
  'pm_card_insufficientFunds',
  'pm_card_processingError',
  'pm_card_slow',
] as const;

export type TestPaymentMethod = (typeof testPaymentMethods)[number];

export type DeclineCode = 'card_declined' | 'insufficient_funds' | 'processing_error';

/** What the mock gateway does with a payment method. */
export type PaymentBehaviour =
  | { readonly kind: 'approve'; readonly delayMs: number }
  | {
      readonly kind: 'decline';
      readonly code: DeclineCode;
      readonly detail: string;
      /** Set for failures worth retrying: the `Retry-After` header, in seconds. */
      readonly retryAfterSeconds?: number;
    };

/** How long `pm_card_slow` keeps the caller waiting, as the contract says. */
export const SLOW_GATEWAY_DELAY_MS = 3000;

/** Seconds a client should wait before retrying `pm_card_processingError`. */
export const PROCESSING_ERROR_RETRY_AFTER_SECONDS = 2;

const behaviours: Readonly<Record<TestPaymentMethod, PaymentBehaviour>> = {
  pm_card_visa: { kind: 'approve', delayMs: 0 },
  pm_card_mastercard: { kind: 'approve', delayMs: 0 },
  pm_paypal: { kind: 'approve', delayMs: 0 },
  pm_card_slow: { kind: 'approve', delayMs: SLOW_GATEWAY_DELAY_MS },
  pm_card_chargeDeclined: {
    kind: 'decline',
    code: 'card_declined',
    detail: 'the card was declined by its issuer; ask the subscriber for another payment method',
  },
  pm_card_insufficientFunds: {
    kind: 'decline',
    code: 'insufficient_funds',
    detail:
      'the card has insufficient funds; ask the subscriber to top up the card or use another payment method',
  },
  pm_card_processingError: {
    kind: 'decline',
    code: 'processing_error',
    detail: `the payment processor failed to process the card; nothing was charged, retry after ${PROCESSING_ERROR_RETRY_AFTER_SECONDS} seconds`,
    retryAfterSeconds: PROCESSING_ERROR_RETRY_AFTER_SECONDS,
  },
};

export function isTestPaymentMethod(value: unknown): value is TestPaymentMethod {
  return typeof value === 'string' && Object.hasOwn(behaviours, value);
}

/** The gateway's behaviour for a known test payment method. */
export function paymentBehaviour(method: TestPaymentMethod): PaymentBehaviour {
  return behaviours[method];
}

/** The message for an unknown payment method: it lists the ones that exist. */
export function unknownPaymentMethodMessage(field = 'paymentMethod'): string {
  return `${field} must be one of the test payment methods: ${testPaymentMethods.join(', ')}`;
}

/** `paymentMethod` in a request body: one of the test payment methods. */
export const paymentMethodSchema = z
  .enum(testPaymentMethods, { error: () => unknownPaymentMethodMessage() })
  .meta({
    description:
      'A test payment method: pm_card_visa, pm_card_mastercard and pm_paypal succeed; pm_card_chargeDeclined and pm_card_insufficientFunds decline; pm_card_processingError fails retryably; pm_card_slow succeeds after 3 s.',
  });
