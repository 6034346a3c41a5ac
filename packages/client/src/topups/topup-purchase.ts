/** A top-up the client wants to buy, however many requests it takes. */
export interface TopupPurchase {
  /** The client's own id of this purchase, unique per intent: the audit joins on it. */
  readonly intentId: string;
  readonly iccid: string;
  /** An add-on of the carrier (`GET /v1/plans`, kind `addon`). */
  readonly planId: string;
  readonly paymentMethod: string;
  /** Default (key-based styles): derived from `intentId`. */
  readonly idempotencyKey?: string;
  /** Default (`reference` style): derived from `intentId`. */
  readonly clientReference?: string;
}

/** What makes the requests of one purchase recognisable as the same purchase. */
export interface TopupIdentifiers {
  readonly idempotencyKey?: string;
  readonly clientReference?: string;
}
