import { idempotencyKeys } from '../../src/persistence/collections.ts';
import { activatedEsim, type LooseJson, sim } from '../devices/device-fixtures.ts';
import { waitFor } from '../launcher/launcher-support.ts';
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

/**
 * A purchase with `pm_card_slow`, which authorizes after 3 s: `claimed` settles once its key
 * is claimed, when the purchase has been checked, so what happens to the eSIM before
 * `answered` is seen only when the data comes to be credited.
 */
export function slowPurchase(
  t: TestCarrier,
  iccid: string,
  planId: string,
  key: string,
): { readonly answered: Promise<Response>; readonly claimed: Promise<true> } {
  const answered = topup(t, iccid, { planId, paymentMethod: 'pm_card_slow' }, key);
  const claimed = waitFor(`key ${key} claimed`, () =>
    t.store.transaction(async (tx) =>
      (await tx.find(idempotencyKeys, {})).some((record) => record.key === key) ? true : undefined,
    ),
  );
  return { answered, claimed };
}
