import type { ChargePurposeKind, ChargeStatus } from '@esimlab/domain';
import type { Money } from '../contract/money.ts';

/** A charge of the mock payment gateway, as `GET /_sim/gateway/charges` shows it. */
export interface GatewayCharge {
  readonly id: string;
  readonly amount: Money;
  /** Only `captured` means money was taken and kept. */
  readonly status: ChargeStatus;
  readonly purpose: { readonly kind: ChargePurposeKind; readonly ref: string };
  readonly idempotencyKey?: string;
  readonly clientReference?: string;
  readonly createdAt: string;
}

export interface GatewayChargeQuery {
  readonly iccid?: string;
  readonly status?: ChargeStatus;
}

/** One page of `GET /_sim/gateway/charges`. */
export interface GatewayChargePage {
  readonly data: readonly GatewayCharge[];
  /** Pass as `cursor` for the next page; null on the last one. */
  readonly nextCursor: string | null;
}
