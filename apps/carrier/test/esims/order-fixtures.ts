import { hashApiKey } from '../../src/features/tenants/tenant-keys.ts';
import { tenants } from '../../src/persistence/collections.ts';
import { json, type TestCarrier } from '../support/test-carrier.ts';

/** A response body as tests see it: arbitrary JSON they assert on. */
// biome-ignore lint/suspicious/noExplicitAny: tests assert on arbitrary JSON shapes
export type LooseJson = any;

/** A valid order body for `carrier`'s plan, with fields overridable per test. */
export function orderBody(planId: string, overrides: Record<string, unknown> = {}) {
  return {
    planId,
    paymentMethod: 'pm_card_visa',
    subscriber: { name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'America/New_York' },
    ...overrides,
  };
}

/** Orders an eSIM over HTTP and fails the test unless the carrier answered 201. */
export async function orderEsimOk(
  t: TestCarrier,
  planId: string,
  init: RequestInit = {},
): Promise<LooseJson> {
  const res = await t.api('/v1/esims', { method: 'POST', json: orderBody(planId), ...init });
  const body = await json(res);
  if (res.status !== 201) throw new Error(`order failed: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** The gateway's charges, through the control plane. */
export async function gatewayCharges(t: TestCarrier, query = ''): Promise<LooseJson[]> {
  const res = await fetch(`${t.baseUrl}/_sim/gateway/charges${query}`);
  if (res.status !== 200) throw new Error(`charges: ${res.status}`);
  return (await json(res)).data;
}

/** The dev tenant's eSIMs, first page of up to 100. */
export async function listedEsims(t: TestCarrier): Promise<LooseJson[]> {
  return (await json(await t.api('/v1/esims?limit=100'))).data;
}

/** Adds a second tenant straight into the store and returns its API key. */
export async function addTenant(t: TestCarrier, name: string): Promise<string> {
  const apiKey = `sk_test_${name}`;
  await t.store.transaction((tx) =>
    tx.insert(tenants, {
      id: `tn_${name}`,
      name,
      apiKeyHash: hashApiKey(apiKey),
      createdAt: t.carrier.context.clock.now(),
    }),
  );
  return apiKey;
}
