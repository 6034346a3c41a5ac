import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TopupRecord, topups } from '../../src/persistence/collections.ts';
import { addTenant } from '../esims/order-fixtures.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import { activatedEsim, addon, type LooseJson, topup } from './topup-fixtures.ts';

// An eSIM with a long purchase history: a few real top-ups, then copies of one of them written
// straight into the store, many of them bought at the same instant, so that paging must break
// ties on createdAt by id.
const COPIES = 230;

let att: TestCarrier;
let iccid: string;
beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att' });
  iccid = (await activatedEsim(att)).esim.iccid;
  const boost = await addon(att, 'boost');
  for (let i = 0; i < 6; i++) {
    const body = {
      planId: boost.id,
      paymentMethod: 'pm_card_visa',
      clientReference: `ref-${i % 2}`,
    };
    const res = await topup(att, iccid, body, `buy-${i}`);
    if (res.status !== 201) throw new Error(`top-up: ${res.status} ${await res.text()}`);
  }
  // Another eSIM's top-up, which its list must not show.
  const other = (await activatedEsim(att)).esim.iccid;
  const res = await topup(att, other, { planId: boost.id, paymentMethod: 'pm_card_visa' }, 'x');
  if (res.status !== 201) throw new Error(`top-up: ${res.status} ${await res.text()}`);
  await att.store.transaction(async (tx) => {
    const [model] = await tx.find(topups, { iccid }, { limit: 1 });
    if (model === undefined) throw new Error('no top-up to copy');
    for (let i = 0; i < COPIES; i++) {
      const copy: TopupRecord = {
        ...model,
        id: `${model.id}_copy_${String(i).padStart(3, '0')}`,
        createdAt: model.createdAt - 1 - Math.floor(i / 7),
        clientReference: i % 5 === 0 ? 'ref-1' : null,
      };
      await tx.insert(topups, copy);
    }
  });
});
afterAll(() => att.close());

const get = async (path: string): Promise<LooseJson> => {
  const res = await att.api(path);
  expect(res.status).toBe(200);
  return json(res);
};

/** Follows `nextCursor` from `path` to the last page. */
async function pageThrough(path: string): Promise<{ pages: number; items: LooseJson[] }> {
  const items: LooseJson[] = [];
  let pages = 0;
  let cursor: string | null = null;
  do {
    const page = await get(cursor === null ? path : `${path}&cursor=${cursor}`);
    pages += 1;
    items.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return { pages, items };
}

describe("GET /v1/esims/{iccid}/topups: an eSIM's top-ups", () => {
  it('lists every one, newest first (ties by id), with no cursor when no page was asked for', async () => {
    const whole = await get(`/v1/esims/${iccid}/topups`);
    expect(whole).not.toHaveProperty('nextCursor');
    expect(whole.data).toHaveLength(6 + COPIES);
    const stored = await att.store.transaction((tx) => tx.find(topups, { iccid }));
    const newestFirst = [...stored].sort(
      (a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    );
    expect(whole.data.map((t: LooseJson) => t.id)).toEqual(newestFirst.map((t) => t.id));
    expect(whole.data.every((t: LooseJson) => t.iccid === iccid)).toBe(true);
  });

  it('pages with limit and cursor, each top-up once, in the same order', async () => {
    const whole = (await get(`/v1/esims/${iccid}/topups`)).data.map((t: LooseJson) => t.id);
    const paged = await pageThrough(`/v1/esims/${iccid}/topups?limit=7`);
    expect(paged.items.map((t) => t.id)).toEqual(whole);
    expect(paged.pages).toBe(Math.ceil(whole.length / 7));
    // 236 in pages of 4: the last page is full, and its cursor is null (no empty page after it).
    const even = await pageThrough(`/v1/esims/${iccid}/topups?limit=4`);
    expect(even.items.map((t) => t.id)).toEqual(whole);
    expect(even.pages).toBe(whole.length / 4);
    // A cursor alone pages at the most a page holds: here, the rest of the list.
    const first = await get(`/v1/esims/${iccid}/topups?limit=7`);
    const rest = await get(`/v1/esims/${iccid}/topups?cursor=${first.nextCursor}`);
    expect(rest.data.map((t: LooseJson) => t.id)).toEqual(whole.slice(7));
    expect(rest.nextCursor).toBeNull();
    // A limit longer than the list is one page, whose cursor is null.
    const one = await get(`/v1/esims/${iccid}/topups?limit=1000`);
    expect(one.nextCursor).toBeNull();
    expect(one.data).toHaveLength(whole.length);
  });

  it('pages the top-ups of one clientReference', async () => {
    const whole = (await get(`/v1/esims/${iccid}/topups?clientReference=ref-1`)).data;
    expect(whole).toHaveLength(3 + Math.ceil(COPIES / 5));
    expect(whole.every((t: LooseJson) => t.clientReference === 'ref-1')).toBe(true);
    const paged = await pageThrough(`/v1/esims/${iccid}/topups?clientReference=ref-1&limit=10`);
    expect(paged.items.map((t) => t.id)).toEqual(whole.map((t: LooseJson) => t.id));
  });

  it.each([
    ['limit=0', 'query.limit', 'limit must be a whole number from 1 to 1000'],
    ['limit=1001', 'query.limit', 'limit must be a whole number from 1 to 1000'],
    ['limit=ten', 'query.limit', 'limit must be a whole number from 1 to 1000'],
    ['cursor=abc', 'query.cursor', 'cursor is not one this carrier issued'],
    ['clientReference=', 'query.clientReference', ''],
  ])('?%s is a 400 naming %s', async (query, field, message) => {
    const res = await att.api(`/v1/esims/${iccid}/topups?${query}`);
    expect(res.status).toBe(400);
    const problem = await json(res);
    expect(problem.code).toBe('invalid_request');
    expect(problem.errors).toContainEqual({ field, message: expect.stringContaining(message) });
  });

  it("is a 404 for another tenant's eSIM, page or not", async () => {
    const otherKey = await addTenant(att, 'list_other');
    for (const query of ['', '?limit=5']) {
      const res = await att.api(`/v1/esims/${iccid}/topups${query}`, {
        headers: { authorization: `Bearer ${otherKey}` },
      });
      expect(res.status).toBe(404);
      expect((await json(res)).code).toBe('esim_not_found');
    }
  });
});
