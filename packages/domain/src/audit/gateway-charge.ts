import type { ChargePurpose } from '../ledger/ledger-entry.ts';
import type { Money } from '../money/money.ts';
import type { EpochMillis } from '../time/instant.ts';

/** A charge's final status at the gateway; only `captured` means money was taken and kept. */
export const chargeStatuses = ['authorized', 'captured', 'voided', 'refunded'] as const;
export type ChargeStatus = (typeof chargeStatuses)[number];

/**
 * A charge as the payment gateway records it: the `/_sim/gateway/charges` shape, with
 * `createdAt` as epoch milliseconds (ISO 8601 only at the HTTP edge).
 */
export interface GatewayCharge {
  readonly id: string;
  readonly amount: Money;
  readonly status: ChargeStatus;
  readonly purpose: ChargePurpose;
  readonly idempotencyKey?: string;
  /** The client's own reference for a top-up, in the `reference` API style. */
  readonly clientReference?: string;
  readonly createdAt: EpochMillis;
}
