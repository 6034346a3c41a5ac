import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_TENANT_ID } from '../../src/features/tenants/tenant-keys.ts';
import {
  type WebhookDeliveryRecord,
  webhookDeliveries,
} from '../../src/persistence/collections.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import {
  createEndpoint,
  type LooseJson,
  startReceiver,
  type WebhookReceiver,
} from './webhook-receiver.ts';

// An endpoint with a long delivery log, written straight into the store (failed deliveries,
// which nobody sends again), many created at the same instant, so that paging must break ties
// on createdAt by id; and another endpoint's delivery, which its log must not show.
const LOGGED = 250;

let att: TestCarrier;
let receiver: WebhookReceiver;
let endpointId: string;
beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att' });
  receiver = await startReceiver();
  endpointId = (await createEndpoint(att, receiver.url)).id;
  const otherId = (await createEndpoint(att, receiver.url)).id;
  const failed = (id: string, endpoint: string, createdAt: number): WebhookDeliveryRecord => ({
    id,
    eventId: `evt_${id}`,
    endpointId: endpoint,
    tenantId: DEV_TENANT_ID,
    type: 'topup.succeeded',
    status: 'failed',
    attempts: [],
    nextAttemptAt: null,
    seriesStart: 0,
    createdAt,
  });
  await att.store.transaction(async (tx) => {
    for (let i = 0; i < LOGGED; i++) {
      const id = `wd_log_${String(i).padStart(3, '0')}`;
      await tx.insert(webhookDeliveries, failed(id, endpointId, 1_000_000 + Math.floor(i / 9)));
    }
    await tx.insert(webhookDeliveries, failed('wd_other', otherId, 1_000_000));
  });
});
afterAll(async () => {
  await receiver.close();
  await att.close();
});

const log = async (query: string): Promise<LooseJson> => {
  const res = await att.api(`/v1/webhook-endpoints/${endpointId}/deliveries${query}`);
  expect(res.status).toBe(200);
  return json(res);
};

describe("GET /v1/webhook-endpoints/{id}/deliveries: an endpoint's delivery log", () => {
  const newestFirst = Array.from({ length: LOGGED }, (_, i) => ({
    id: `wd_log_${String(i).padStart(3, '0')}`,
    createdAt: 1_000_000 + Math.floor(i / 9),
  }))
    .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
    .map((d) => d.id);

  it('answers the newest 100 by default, with the cursor of the next page', async () => {
    const first = await log('');
    expect(first.data.map((d: LooseJson) => d.id)).toEqual(newestFirst.slice(0, 100));
    expect(first.nextCursor).toEqual(expect.any(String));
  });

  it.each([40, 50])(
    'pages through the whole log %i at a time, each delivery once, newest first',
    async (limit) => {
      const seen: string[] = [];
      let pages = 0;
      let cursor: string | null = null;
      do {
        const page = await log(`?limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`);
        pages += 1;
        seen.push(...page.data.map((d: LooseJson) => d.id));
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(seen).toEqual(newestFirst);
      // 250 in pages of 50: the fifth page is full and the last, with no empty page after it.
      expect(pages).toBe(Math.ceil(LOGGED / limit));
    },
  );

  it.each([
    ['limit=0', 'query.limit', '>=1'],
    ['limit=101', 'query.limit', '<=100'],
    ['cursor=nope', 'query.cursor', 'cursor is not one this carrier issued'],
  ])('?%s is a 400 naming %s', async (query, field, message) => {
    const res = await att.api(`/v1/webhook-endpoints/${endpointId}/deliveries?${query}`);
    expect(res.status).toBe(400);
    const problem = await json(res);
    expect(problem.code).toBe('invalid_request');
    expect(problem.errors).toContainEqual({ field, message: expect.stringContaining(message) });
  });
});
