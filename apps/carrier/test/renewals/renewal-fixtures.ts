import {
  type EpochMillis,
  expiresAt,
  type LedgerEntry,
  parseTimeZone,
  unwrap,
} from '@esimlab/domain';
import { expect } from 'vitest';
import { ledgerOf } from '../../src/features/ledger/esim-ledger.ts';
import {
  createDevice,
  download,
  journal,
  type LooseJson,
  orderEsim,
  sim,
} from '../devices/device-fixtures.ts';
import { json, type TestCarrier } from '../support/test-carrier.ts';

export { journal, type LooseJson, sim };

export const NEW_YORK = 'America/New_York';

/** A plan of the carrier by id, as `GET /v1/plans` shows it. */
export async function planById(t: TestCarrier, id: string): Promise<LooseJson> {
  const { data } = await json(await t.api('/v1/plans'));
  const plan = data.find((p: LooseJson) => p.id === id);
  if (!plan) throw new Error(`no plan ${id}`);
  return plan;
}

/** An eSIM on `planId`, ordered (visa) by a New York subscriber, not activated. */
export async function orderedEsim(t: TestCarrier, planId: string): Promise<LooseJson> {
  return orderEsim(t, await planById(t, planId));
}

/** An eSIM on `planId` downloaded and enabled on a New York phone: its plan runs from now. */
export async function activeEsim(t: TestCarrier, planId: string): Promise<LooseJson> {
  const esim = await orderedEsim(t, planId);
  const device = await createDevice(t);
  const res = await download(t, { eid: device.eid, activationCode: esim.activationCode });
  if (res.status !== 200) throw new Error(`download: ${res.status} ${await res.text()}`);
  return getEsim(t, esim.iccid);
}

export async function getEsim(t: TestCarrier, iccid: string): Promise<LooseJson> {
  const res = await t.api(`/v1/esims/${iccid}`);
  if (res.status !== 200) throw new Error(`get: ${res.status} ${await res.text()}`);
  return json(res);
}

/** `PATCH /v1/esims/{iccid}`. */
export function patchEsim(t: TestCarrier, iccid: string, body: unknown): Promise<Response> {
  return t.api(`/v1/esims/${iccid}`, { method: 'PATCH', json: body });
}

/** `POST /v1/esims/{iccid}/cancel`, with an Idempotency-Key when given. */
export function cancel(
  t: TestCarrier,
  iccid: string,
  init: { body?: unknown; key?: string } = {},
): Promise<Response> {
  return t.api(`/v1/esims/${iccid}/cancel`, {
    method: 'POST',
    ...(init.body === undefined ? {} : { json: init.body }),
    ...(init.key === undefined ? {} : { headers: { 'idempotency-key': init.key } }),
  });
}

export async function clockNow(t: TestCarrier): Promise<EpochMillis> {
  return Date.parse((await json(await sim(t, '/_sim/clock'))).now);
}

/** Advances the clock by an ISO duration, running due work. */
export async function advance(t: TestCarrier, by: string): Promise<void> {
  const res = await sim(t, '/_sim/clock/advance', { method: 'POST', json: { by } });
  if (res.status !== 200) throw new Error(`advance: ${res.status} ${await res.text()}`);
}

/** Advances the clock to `target` (or a millisecond on, if it is already there). */
export async function advanceTo(t: TestCarrier, target: EpochMillis): Promise<void> {
  const ms = Math.max(1, target - (await clockNow(t)));
  const res = await sim(t, '/_sim/clock/advance', { method: 'POST', json: { ms } });
  if (res.status !== 200) throw new Error(`advance: ${res.status} ${await res.text()}`);
}

/** The gateway's charges for one eSIM and purpose kind. */
export async function chargesFor(
  t: TestCarrier,
  iccid: string,
  kind: 'order' | 'renewal' | 'fee',
): Promise<LooseJson[]> {
  const { data } = await json(await sim(t, `/_sim/gateway/charges?iccid=${iccid}`));
  return data.filter((c: LooseJson) => c.purpose.kind === kind);
}

export function ledgerEntries(t: TestCarrier, iccid: string): Promise<LedgerEntry[]> {
  return t.store.transaction((tx) => ledgerOf(tx, iccid));
}

/** Fails with the violations unless `GET /_sim/audit` finds the money and the data in order. */
export async function expectCleanAudit(t: TestCarrier): Promise<void> {
  const report = await json(await sim(t, '/_sim/audit'));
  expect(report.violations).toEqual([]);
  expect(report.ok).toBe(true);
}

/** The end of a period of `days` starting at `startedAt`, for a New York subscriber. */
export function periodEnd(startedAt: EpochMillis, days: number): EpochMillis {
  return expiresAt(startedAt, days, unwrap(parseTimeZone(NEW_YORK, 'timeZone')));
}
