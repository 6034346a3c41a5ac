import { DEV_KEY, json } from '../support/test-carrier.ts';

/** A response body as tests see it: arbitrary JSON they assert on. */
// biome-ignore lint/suspicious/noExplicitAny: tests assert on arbitrary JSON shapes
export type LooseJson = any;

export { json };

/**
 * A carrier known only by its base URL, as the supervised (child-process) carriers are: the
 * in-process fixtures of test/topups need a `TestCarrier`, these need nothing but the URL.
 */
export interface CarrierAtUrl {
  readonly baseUrl: string;
  /** fetch with the dev API key and an optional JSON body; control-plane calls ignore the key. */
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
}

export function carrierAt(baseUrl: string): CarrierAtUrl {
  return {
    baseUrl,
    api(path, init = {}) {
      const { json: body, ...rest } = init;
      const headers = new Headers(rest.headers);
      headers.set('authorization', `Bearer ${DEV_KEY}`);
      if (body !== undefined) headers.set('content-type', 'application/json');
      return fetch(`${baseUrl}${path}`, {
        ...rest,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    },
  };
}

async function expectStatus(res: Response, status: number, what: string): Promise<LooseJson> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

export async function plansOf(c: CarrierAtUrl): Promise<LooseJson[]> {
  return (await expectStatus(await c.api('/v1/plans'), 200, 'plans')).data;
}

/**
 * Orders an eSIM on the first base plan without a confirmation code and downloads it onto a
 * new device in New York, which enables it and starts the plan's data.
 */
export async function activatedEsim(
  c: CarrierAtUrl,
): Promise<{ iccid: string; basePlan: LooseJson }> {
  const basePlan = (await plansOf(c)).find(
    (p) => p.kind === 'base' && p.confirmationCodeRequired === false,
  );
  if (!basePlan) throw new Error('no base plan without a confirmation code');
  const esim = await expectStatus(
    await c.api('/v1/esims', {
      method: 'POST',
      json: {
        planId: basePlan.id,
        paymentMethod: 'pm_card_visa',
        subscriber: {
          name: 'Grace Hopper',
          email: 'grace@example.com',
          timeZone: 'America/New_York',
        },
      },
    }),
    201,
    'order',
  );
  const device = await expectStatus(
    await c.api('/_sim/devices', {
      method: 'POST',
      json: { location: { lat: 40.7128, lon: -74.006 }, wifi: false },
    }),
    201,
    'device',
  );
  await expectStatus(
    await fetch(`${c.baseUrl}/v1/lpa/download`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ eid: device.eid, activationCode: esim.activationCode }),
    }),
    200,
    'download',
  );
  return { iccid: esim.iccid, basePlan };
}

/** `POST /v1/esims/{iccid}/topups` with an Idempotency-Key. */
export function postTopup(
  c: CarrierAtUrl,
  iccid: string,
  body: { planId: string; paymentMethod: string },
  key: string,
  signal?: AbortSignal,
): Promise<Response> {
  return c.api(`/v1/esims/${iccid}/topups`, {
    method: 'POST',
    json: body,
    headers: { 'idempotency-key': key },
    ...(signal ? { signal } : {}),
  });
}

export async function remainingBytes(c: CarrierAtUrl, iccid: string): Promise<number> {
  return (await expectStatus(await c.api(`/v1/esims/${iccid}/usage`), 200, 'usage'))
    .dataRemainingBytes;
}

/** The gateway's top-up charges for one eSIM. */
export async function topupCharges(c: CarrierAtUrl, iccid: string): Promise<LooseJson[]> {
  const { data } = await expectStatus(
    await c.api(`/_sim/gateway/charges?iccid=${iccid}`),
    200,
    'charges',
  );
  return data.filter((charge: LooseJson) => charge.purpose.kind === 'topup');
}

export async function auditOf(c: CarrierAtUrl): Promise<LooseJson> {
  return expectStatus(await c.api('/_sim/audit'), 200, 'audit');
}

/** Journal events through `GET /_sim/events`, filtered as the query says. */
export async function journal(
  c: CarrierAtUrl,
  query: Record<string, string>,
): Promise<LooseJson[]> {
  const page = await expectStatus(
    await c.api(`/_sim/events?${new URLSearchParams({ limit: '1000', ...query })}`),
    200,
    'events',
  );
  return page.data;
}
