/**
 * The contract's test payment methods and what the model expects of each (PRODUCT.md): a
 * purchase with a `succeeds` method ends ok, a `declines` one failed with its code, and a
 * `retryable` one keeps failing with a retryable decline, so the client gives up (unknown).
 */
export const paymentMethodBehaviour = {
  pm_card_visa: { kind: 'succeeds' },
  pm_card_mastercard: { kind: 'succeeds' },
  pm_paypal: { kind: 'succeeds' },
  pm_card_slow: { kind: 'succeeds' },
  pm_card_chargeDeclined: { kind: 'declines', code: 'card_declined' },
  pm_card_insufficientFunds: { kind: 'declines', code: 'insufficient_funds' },
  pm_card_processingError: { kind: 'retryable', code: 'processing_error' },
} as const satisfies Record<
  string,
  { readonly kind: 'succeeds' } | { readonly kind: 'declines' | 'retryable'; readonly code: string }
>;

export type TestPaymentMethod = keyof typeof paymentMethodBehaviour;

export const testPaymentMethods = Object.keys(paymentMethodBehaviour) as TestPaymentMethod[];
