import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chargeView } from '../../src/features/gateway/charge-view.ts';
import { type ChargeRecord, charges, ledger } from '../../src/persistence/collections.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import { activatedEsim, addon, type LooseJson, sim, topup } from '../topups/topup-fixtures.ts';

// The whole ledger and every charge are written out a thousand at a time: a list of several
// thousands must be exactly what one JSON document of them all would be.
let att: TestCarrier;
beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att' });
  const { esim } = await activatedEsim(att);
  const boost = await addon(att, 'boost');
  const res = await topup(
    att,
    esim.iccid,
    { planId: boost.id, paymentMethod: 'pm_card_visa' },
    'k',
  );
  if (res.status !== 201) throw new Error(`top-up: ${res.status} ${await res.text()}`);
  await att.store.transaction(async (tx) => {
    const [entry] = await tx.find(ledger, {}, { orderBy: 'seq', limit: 1 });
    const [charge] = await tx.find(charges, {}, { limit: 1 });
    if (entry === undefined || charge === undefined) throw new Error('nothing to copy');
    for (let i = 0; i < 2_100; i++) {
      // Sequence numbers out of insertion order, so the list's order is the ledger's, not the rows'.
      const seq = entry.seq + 10_000 + ((i * 11) % 2_100);
      await tx.insert(ledger, {
        ...entry,
        id: `${entry.id}_copy_${i}`,
        seq,
        entry: { ...entry.entry, id: `${entry.entry.id}_copy_${i}` },
      });
    }
    for (let i = 0; i < 1_100; i++) {
      const copy: ChargeRecord = {
        ...charge,
        id: `${charge.id}_copy_${i}`,
        // Ties on createdAt, broken by id.
        createdAt: charge.createdAt + Math.floor(i / 3),
        status: i % 2 === 0 ? 'captured' : 'voided',
      };
      await tx.insert(charges, copy);
    }
  });
});
afterAll(() => att.close());

const list = async (path: string): Promise<LooseJson[]> => {
  const res = await sim(att, path);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  return (await json(res)).data;
};

describe('lists of several thousand', () => {
  it('GET /_sim/ledger lists every entry once, in ledger order', async () => {
    const expected = await att.store.transaction((tx) => tx.find(ledger, {}, { orderBy: 'seq' }));
    const listed = await list('/_sim/ledger');
    expect(expected.length).toBeGreaterThan(2_100);
    expect(listed.map((e) => e.id)).toEqual(expected.map((r) => r.entry.id));
    expect(listed.at(-1)?.at).toBe(new Date(expected.at(-1)?.entry.at ?? 0).toISOString());
  });

  it('GET /_sim/gateway/charges lists every charge once, oldest first, and filters by status', async () => {
    const expected = await att.store.transaction((tx) =>
      tx.find(charges, {}, { orderBy: 'createdAt' }),
    );
    const res = await sim(att, '/_sim/gateway/charges');
    expect(expected.length).toBeGreaterThan(1_100);
    expect(await res.text()).toBe(JSON.stringify({ data: expected.map(chargeView) }));
    const voided = await list('/_sim/gateway/charges?status=voided');
    expect(voided.map((c) => c.id)).toEqual(
      expected.filter((c) => c.status === 'voided').map((c) => c.id),
    );
    expect(voided).toHaveLength(550);
  });

  it('GET /_sim/ledger pages with limit and cursor, each entry once, in ledger order', async () => {
    const expected = await att.store.transaction((tx) => tx.find(ledger, {}, { orderBy: 'seq' }));
    const { pages, items } = await pageThrough('/_sim/ledger?limit=500');
    expect(items.map((e) => e.id)).toEqual(expected.map((r) => r.entry.id));
    expect(pages).toBe(Math.ceil(expected.length / 500));
    const iccid = expected[0]?.iccid as string;
    const own = await pageThrough(`/_sim/ledger?iccid=${iccid}&limit=1000`);
    expect(own.items.map((e) => e.id)).toEqual(
      expected.filter((r) => r.iccid === iccid).map((r) => r.entry.id),
    );
  });

  it('GET /_sim/gateway/charges pages with limit and cursor, with its filters', async () => {
    const expected = await att.store.transaction((tx) =>
      tx.find(charges, {}, { orderBy: 'createdAt' }),
    );
    const all = await pageThrough('/_sim/gateway/charges?limit=100');
    expect(all.items.map((c) => c.id)).toEqual(expected.map((c) => c.id));
    expect(all.pages).toBe(Math.ceil(expected.length / 100));
    const voided = await pageThrough('/_sim/gateway/charges?status=voided&limit=64');
    expect(voided.items.map((c) => c.id)).toEqual(
      expected.filter((c) => c.status === 'voided').map((c) => c.id),
    );
  });

  it.each([
    ['/_sim/ledger?limit=0', 'query.limit', 'limit must be a whole number from 1 to 10000'],
    ['/_sim/ledger?limit=10001', 'query.limit', 'limit must be a whole number from 1 to 10000'],
    ['/_sim/ledger?cursor=abc', 'query.cursor', 'cursor is not one this carrier issued'],
    ['/_sim/gateway/charges?limit=x', 'query.limit', 'limit must be a whole number'],
    ['/_sim/gateway/charges?cursor=12', 'query.cursor', 'cursor is not one this carrier issued'],
  ])('%s is a 400 naming %s', async (path, field, message) => {
    const res = await sim(att, path);
    expect(res.status).toBe(400);
    const problem = await json(res);
    expect(problem.code).toBe('invalid_request');
    expect(problem.errors).toContainEqual({ field, message: expect.stringContaining(message) });
  });
});

/** Follows `nextCursor` from `path` to the last page. */
async function pageThrough(path: string): Promise<{ pages: number; items: LooseJson[] }> {
  const items: LooseJson[] = [];
  let pages = 0;
  let cursor: string | null = null;
  do {
    const res = await sim(att, cursor === null ? path : `${path}&cursor=${cursor}`);
    expect(res.status).toBe(200);
    const page = await json(res);
    pages += 1;
    items.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return { pages, items };
}
