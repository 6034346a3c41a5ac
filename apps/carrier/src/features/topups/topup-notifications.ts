import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import type { TopupRecord } from '../../persistence/collections.ts';
import { recordEvent } from '../events/journal.ts';

/** Journals a top-up's outcome (and, with webhooks, tells the tenant's endpoints). */
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
}
