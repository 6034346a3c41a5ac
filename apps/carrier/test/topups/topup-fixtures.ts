import { activatedEsim, type LooseJson, sim } from '../devices/device-fixtures.ts';
import { json, type TestCarrier } from '../support/test-carrier.ts';

export { activatedEsim, type LooseJson, sim };

/** The carrier's first add-on of a kind (`boost` or `pass`). */
export async function addon(t: TestCarrier, kind: 'boost' | 'pass'): Promise<LooseJson> {
  const { data } = await json(await t.api('/v1/plans'));
  const plan = data.find((p: LooseJson) => p.kind === 'addon' && p.addonKind === kind);
  if (!plan) throw new Error(`no ${kind} add-on`);
  return plan;
}

/** `POST /v1/esims/{iccid}/topups`, with an Idempotency-Key when given. */
export function topup(
  t: TestCarrier,
  iccid: string,
  body: Record<string, unknown>,
  key?: string,
): Promise<Response> {
  return t.api(`/v1/esims/${iccid}/topups`, {
    method: 'POST',
    json: body,
    ...(key === undefined ? {} : { headers: { 'idempotency-key': key } }),
  });
}

export async function auditOf(t: TestCarrier): Promise<LooseJson> {
  return json(await sim(t, '/_sim/audit'));
}

export async function remainingBytes(t: TestCarrier, iccid: string): Promise<number> {
  return (await json(await t.api(`/v1/esims/${iccid}/usage`))).dataRemainingBytes;
}

export async function topupCharges(t: TestCarrier, iccid: string): Promise<LooseJson[]> {
  const { data } = await json(await sim(t, `/_sim/gateway/charges?iccid=${iccid}`));
  return data.filter((c: LooseJson) => c.purpose.kind === 'topup');
}
