import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { type EventRecord, events } from '../../persistence/collections.ts';

/** The journal keeps the newest events only, so a long-running carrier stays small. */
export const JOURNAL_LIMIT = 10_000;

export interface NewEvent {
  readonly type: string;
  readonly tenantId?: string;
  readonly iccid?: string;
  readonly eid?: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

/** Records a state change in the `/_sim/events` journal, inside the caller's transaction. */
export async function recordEvent(
  tx: StoreTx,
  context: CarrierContext,
  event: NewEvent,
): Promise<EventRecord> {
  const [last] = await tx.find(events, {}, { orderBy: 'seq', direction: 'desc', limit: 1 });
  const seq = (last?.seq ?? 0) + 1;
  const record: EventRecord = {
    id: context.ids.next('evt'),
    seq,
    at: context.clock.now(),
    type: event.type,
    ...(event.tenantId === undefined ? {} : { tenantId: event.tenantId }),
    ...(event.iccid === undefined ? {} : { iccid: event.iccid }),
    ...(event.eid === undefined ? {} : { eid: event.eid }),
    data: event.data ?? {},
  };
  await tx.insert(events, record);
  // One in, one out: the oldest event goes once the journal is full.
  const [oldest] = await tx.find(events, {}, { orderBy: 'seq', limit: 1 });
  if (oldest && oldest.seq <= seq - JOURNAL_LIMIT) await tx.delete(events, oldest.id);
  return record;
}
