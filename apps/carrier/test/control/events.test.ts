import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  JOURNAL_LIMIT,
  JOURNAL_TRIM_EVERY,
  recordEvent,
} from '../../src/features/events/journal.ts';
import { events } from '../../src/persistence/collections.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';

let att: TestCarrier;
beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att' });
  for (const name of ['a', 'b', 'c', 'd', 'e']) {
    await att.api('/_sim/tenants', { method: 'POST', json: { name } });
  }
  await att.api('/_sim/config', { method: 'PATCH', json: { apiStyle: 'reference' } });
});
afterAll(() => att.close());

describe('GET /_sim/events', () => {
  it('lists events oldest first with ISO times and increasing seq', async () => {
    const { data, nextCursor } = await json(await att.api('/_sim/events'));
    expect(data.map((e: { type: string }) => e.type)).toEqual([
      ...Array(5).fill('tenant.created'),
      'config.changed',
    ]);
    expect(nextCursor).toBeNull();
    const seqs = data.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    for (const event of data) expect(event.at).toMatch(/Z$/);
  });

  it('filters by type and by tenant', async () => {
    const byType = await json(await att.api('/_sim/events?type=config.changed'));
    expect(byType.data).toHaveLength(1);
    const tenantId = (await json(await att.api('/_sim/events'))).data[0].tenantId;
    const byTenant = await json(await att.api(`/_sim/events?tenantId=${tenantId}`));
    expect(byTenant.data.map((e: { tenantId: string }) => e.tenantId)).toEqual([tenantId]);
    expect((await json(await att.api('/_sim/events?iccid=8901'))).data).toEqual([]);
  });

  it('pages with limit and nextCursor, visiting every event once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&after=${cursor}`;
      const page = await json(await att.api(`/_sim/events?limit=2${query}`));
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((e: { id: string }) => e.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    const all = (await json(await att.api('/_sim/events'))).data.map((e: { id: string }) => e.id);
    expect(seen).toEqual(all);
  });

  it.each([
    'limit=0',
    'limit=1001',
    'limit=abc',
    'after=-1',
    'after=x',
    'type=a&type=b',
    'colour=red',
  ])('refuses ?%s with 400 invalid_request', async (query) => {
    const res = await att.api(`/_sim/events?${query}`);
    expect(res.status).toBe(400);
    expect((await json(res)).code).toBe('invalid_request');
  });
});

describe('filters the journal does not index', () => {
  it('pages by type and device through thousands of other events, each match once, in order', async () => {
    const carrier = await startTestCarrier({ carrier: 'att' });
    try {
      const { context } = carrier.carrier;
      // 2,400 events: every 97th a match, with a device; matches land on both sides of every
      // page the journal is read in.
      await context.store.transaction(async (tx) => {
        for (let i = 0; i < 2_400; i++) {
          const match = i % 97 === 0;
          await recordEvent(tx, context, {
            type: match ? 'test.match' : 'test.filler',
            ...(match ? { eid: `eid-${i}` } : {}),
            data: { i },
          });
        }
      });
      const expected = Array.from({ length: 25 }, (_, k) => k * 97);
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const after: string = cursor === null ? '' : `&after=${cursor}`;
        const page = await json(await carrier.api(`/_sim/events?type=test.match&limit=4${after}`));
        pages++;
        seen.push(...page.data.map((e: { data: { i: number } }) => e.data.i));
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(seen).toEqual(expected);
      expect(pages).toBe(7);
      const byDevice = await json(await carrier.api('/_sim/events?eid=eid-1164'));
      expect(byDevice.data.map((e: { data: { i: number } }) => e.data.i)).toEqual([1164]);
      // Every filter must match: a match's type with a device no match has.
      const none = await json(await carrier.api('/_sim/events?type=test.match&eid=eid-1'));
      expect(none).toEqual({ data: [], nextCursor: null });
    } finally {
      await carrier.close();
    }
  });
});

describe('the journal limit', () => {
  it('keeps the newest JOURNAL_LIMIT events, trimmed every JOURNAL_TRIM_EVERY', async () => {
    const carrier = await startTestCarrier({ carrier: 'att' });
    try {
      const { context } = carrier.carrier;
      const total = JOURNAL_LIMIT + 2 * JOURNAL_TRIM_EVERY + 7;
      const written = await context.store.transaction(async (tx) => {
        const records = [];
        for (let i = 0; i < total; i++) {
          records.push(await recordEvent(tx, context, { type: 'test.filler', data: { i } }));
        }
        return records;
      });
      const kept = await context.store.transaction((tx) => tx.find(events, {}, { orderBy: 'seq' }));
      const newest = written.at(-1)?.seq ?? 0;
      // Trimmed at the last multiple of JOURNAL_TRIM_EVERY, and nothing newer than that went.
      const trimmedAt = newest - (newest % JOURNAL_TRIM_EVERY);
      expect(kept.at(0)?.seq).toBe(trimmedAt - JOURNAL_LIMIT + 1);
      expect(kept.at(-1)?.seq).toBe(newest);
      expect(kept.length).toBeLessThanOrEqual(JOURNAL_LIMIT + JOURNAL_TRIM_EVERY);
      expect(kept.map((e) => e.seq)).toEqual(
        written.filter((e) => e.seq >= trimmedAt - JOURNAL_LIMIT + 1).map((e) => e.seq),
      );
    } finally {
      await carrier.close();
    }
  });
});
