import type { ApiStyle } from './api-style.ts';
import { keyedPurchase } from './internal/keyed-purchase.ts';
import { referencePurchase } from './internal/reference-purchase.ts';
import type { PurchaseStrategy } from './purchase-strategy.ts';

/** The safe strategy for each API style. */
export const purchaseStrategies: Readonly<Record<ApiStyle, PurchaseStrategy>> = {
  idempotent: keyedPurchase,
  reference: referencePurchase,
  async: { ...keyedPurchase, name: 'idempotency-key, then poll' },
};
