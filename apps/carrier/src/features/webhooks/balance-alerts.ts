import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { emitWebhookEvent } from './emit-webhook-event.ts';

/** `balance.low` goes out when usage crosses this share of the live credited data. */
export const BALANCE_LOW_PERCENT_USED = 90;

export interface DataUseChange {
  readonly tenantId: string;
  readonly iccid: string;
  /** Live credited bytes (base, promotions, add-ons) when the data was used. */
  readonly creditedBytes: number;
  readonly remainingBeforeBytes: number;
  readonly remainingAfterBytes: number;
  readonly dataUsedBytes: number;
}

/**
 * Emits `balance.low` when a use of data crosses 90 % used and `balance.depleted` when it
 * leaves nothing, inside the caller's transaction; each crossing happens once, so each is
 * sent once. One use may cross both.
 */
export async function emitBalanceAlerts(
  tx: StoreTx,
  context: CarrierContext,
  change: DataUseChange,
): Promise<void> {
  const { creditedBytes, remainingBeforeBytes, remainingAfterBytes } = change;
  const data = {
    iccid: change.iccid,
    dataRemainingBytes: remainingAfterBytes,
    dataUsedBytes: change.dataUsedBytes,
    creditedBytes,
  };
  // Integer arithmetic: 90 % of an odd byte count must not round either way.
  const threshold = BALANCE_LOW_PERCENT_USED * creditedBytes;
  const usedBefore = (creditedBytes - remainingBeforeBytes) * 100;
  const usedAfter = (creditedBytes - remainingAfterBytes) * 100;
  if (creditedBytes > 0 && usedBefore < threshold && usedAfter >= threshold) {
    await emitWebhookEvent(tx, context, {
      tenantId: change.tenantId,
      type: 'balance.low',
      data: { ...data, thresholdPercent: BALANCE_LOW_PERCENT_USED },
    });
  }
  if (remainingBeforeBytes > 0 && remainingAfterBytes === 0) {
    await emitWebhookEvent(tx, context, {
      tenantId: change.tenantId,
      type: 'balance.depleted',
      data,
    });
  }
}
