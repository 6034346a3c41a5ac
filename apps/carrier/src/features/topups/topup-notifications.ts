import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import type { TopupRecord } from '../../persistence/collections.ts';
import { recordEvent } from '../events/journal.ts';
import { emitWebhookEvent } from '../webhooks/emit-webhook-event.ts';
import { topupView } from './topup-view.ts';

/**
 * Journals a top-up's outcome and queues its webhook in the same transaction, once per
 * top-up even when a recovered saga runs this step again.
 */
export async function notifyTopup(
  tx: StoreTx,
  context: CarrierContext,
  topup: TopupRecord,
): Promise<void> {
  const type = topup.status === 'succeeded' ? 'topup.succeeded' : 'topup.failed';
  await recordEvent(tx, context, {
    type,
    tenantId: topup.tenantId,
    iccid: topup.iccid,
    data: { topupId: topup.id, status: topup.status },
  });
  await emitWebhookEvent(tx, context, {
    tenantId: topup.tenantId,
    type,
    data: topupView(topup),
    dedupeKey: `${type}:${topup.id}`,
  });
}
