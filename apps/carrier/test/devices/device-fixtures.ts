import { json, type TestCarrier } from '../support/test-carrier.ts';

/** A response body as tests see it: arbitrary JSON they assert on. */
// biome-ignore lint/suspicious/noExplicitAny: tests assert on arbitrary JSON shapes
export type LooseJson = any;

export const places = {
  newYork: { lat: 40.7128, lon: -74.006 },
  ruralKansas: { lat: 38.5, lon: -98.5 },
  greenBank: { lat: 38.4331, lon: -79.8398 },
  easternMontana: { lat: 47.0, lon: -106.0 },
  toronto: { lat: 43.6532, lon: -79.3832 },
} as const;

/** A control-plane call (no API key needed; the dev key it carries is ignored). */
export function sim(t: TestCarrier, path: string, init: { method?: string; json?: unknown } = {}) {
  return t.api(path, { method: init.method ?? 'GET', json: init.json });
}

/** Creates a device over HTTP, in New York with wifi off unless told otherwise. */
export async function createDevice(
  t: TestCarrier,
  device: { eid?: string; location?: { lat: number; lon: number }; wifi?: boolean } = {},
): Promise<LooseJson> {
  const res = await sim(t, '/_sim/devices', {
    method: 'POST',
    json: { location: places.newYork, wifi: false, ...device },
  });
  const body = await json(res);
  if (res.status !== 201) throw new Error(`device: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** The first base plan of the carrier with or without a confirmation code. */
export async function basePlan(t: TestCarrier, confirmationCode: boolean): Promise<LooseJson> {
  const { data } = await json(await t.api('/v1/plans'));
  const plan = data.find(
    (p: LooseJson) => p.kind === 'base' && p.confirmationCodeRequired === confirmationCode,
  );
  if (!plan) throw new Error(`no base plan with confirmationCodeRequired=${confirmationCode}`);
  return plan;
}

/** Orders an eSIM on `plan` and fails unless the carrier answered 201. */
export async function orderEsim(
  t: TestCarrier,
  plan: LooseJson,
  extra: Record<string, unknown> = {},
): Promise<LooseJson> {
  const res = await t.api('/v1/esims', {
    method: 'POST',
    json: {
      planId: plan.id,
      paymentMethod: 'pm_card_visa',
      subscriber: {
        name: 'Grace Hopper',
        email: 'grace@example.com',
        timeZone: 'America/New_York',
      },
      ...extra,
    },
  });
  const body = await json(res);
  if (res.status !== 201) throw new Error(`order: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** `POST /v1/lpa/download` as a phone sends it: no API key. */
export function download(t: TestCarrier, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${t.baseUrl}/v1/lpa/download`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** A device in New York with an eSIM downloaded and enabled on it. */
export async function activatedEsim(
  t: TestCarrier,
): Promise<{ device: LooseJson; esim: LooseJson; plan: LooseJson }> {
  const plan = await basePlan(t, false);
  const esim = await orderEsim(t, plan);
  const device = await createDevice(t);
  const res = await download(t, { eid: device.eid, activationCode: esim.activationCode });
  if (res.status !== 200) throw new Error(`download: ${res.status} ${await res.text()}`);
  return { device, esim, plan };
}

/** Journal events through `GET /_sim/events`, filtered as the query says. */
export async function journal(t: TestCarrier, query: Record<string, string>): Promise<LooseJson[]> {
  const res = await sim(t, `/_sim/events?${new URLSearchParams({ limit: '1000', ...query })}`);
  if (res.status !== 200) throw new Error(`events: ${res.status} ${await res.text()}`);
  return (await json(res)).data;
}

/** Punches a circle with `signal` into the map around `center`; returns the override. */
export async function coverageOverride(
  t: TestCarrier,
  center: { lat: number; lon: number },
  signal: 'none' | 'weak' | 'good',
  radiusKm = 5,
): Promise<LooseJson> {
  const res = await sim(t, '/_sim/coverage/overrides', {
    method: 'POST',
    json: { name: `test-${signal}`, center, radiusKm, signal },
  });
  const body = await json(res);
  if (res.status !== 201) throw new Error(`override: ${res.status} ${JSON.stringify(body)}`);
  return body;
}
