import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { type EventRecord, events } from '../../persistence/collections.ts';

/** The journal keeps the newest events only, so a long-running carrier stays small. */
export const JOURNAL_LIMIT = 10_000;

/** How often (in events) the journal is trimmed back to its limit: it may exceed it by this. */
export const JOURNAL_TRIM_EVERY = 100;

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
  // From the store's sequence, not max + 1: replicas journaling at once never conflict on it.
  const seq = await tx.nextInSequence(events, 'seq');
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
  if (seq % JOURNAL_TRIM_EVERY === 0) await trimJournal(tx, seq - JOURNAL_LIMIT);
  return record;
}

/**
 * Drops the events numbered `through` or lower, oldest first: the oldest page is read to see
 * how many have expired, and those are deleted in one statement. Done every
 * `JOURNAL_TRIM_EVERY` events rather than one out per one in, which cost two more statements
 * per event; a value lost to a rolled-back transaction only defers the trim to the next one.
 * Both read the oldest end of the journal only: on PostgreSQL, replicas journaling at the
 * newest end meanwhile do not conflict with it.
 */
async function trimJournal(tx: StoreTx, through: number): Promise<void> {
  for (;;) {
    const oldest = await tx.find(events, {}, { orderBy: 'seq', limit: JOURNAL_TRIM_EVERY });
    const expired = oldest.filter((event) => event.seq <= through).length;
    if (expired > 0) await tx.deleteFound(events, {}, { orderBy: 'seq', limit: expired });
    if (expired < JOURNAL_TRIM_EVERY) return;
  }
}

/** What `GET /_sim/events` filters on; every field given must match. */
export interface JournalFilter {
  readonly type?: string;
  readonly iccid?: string;
  readonly eid?: string;
  readonly tenantId?: string;
}

// Events read per step when a filter is answered by reading the journal in order.
const SCAN_PAGE = 500;

/**
 * Up to `limit` events matching `filter` after `after` (a seq), oldest first. Only the eSIM is
 * indexed; the other filters are applied while reading the journal in order, which is bounded
 * (about `JOURNAL_LIMIT` events), so a filter that matches nothing reads it once.
 */
export async function journalPage(
  tx: StoreTx,
  filter: JournalFilter,
  options: { readonly after?: number; readonly limit: number },
): Promise<EventRecord[]> {
  const indexed = filter.iccid === undefined ? {} : { iccid: filter.iccid };
  const matches = (event: EventRecord) =>
    (filter.type === undefined || event.type === filter.type) &&
    (filter.eid === undefined || event.eid === filter.eid) &&
    (filter.tenantId === undefined || event.tenantId === filter.tenantId);
  const found: EventRecord[] = [];
  let after = options.after;
  for (;;) {
    const page = await tx.find(events, indexed, {
      orderBy: 'seq',
      limit: SCAN_PAGE,
      ...(after === undefined ? {} : { after }),
    });
    for (const event of page) {
      if (!matches(event)) continue;
      found.push(event);
      if (found.length === options.limit) return found;
    }
    const last = page.at(-1);
    if (page.length < SCAN_PAGE || last === undefined) return found;
    after = last.seq;
  }
}
