import { DAY_MS, type LedgerEntry } from '@esimlab/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fulfilOrder } from '../../src/features/esims/fulfil-order.ts';
import { ledgerOf } from '../../src/features/ledger/esim-ledger.ts';
import { type EsimRecord, esims, events } from '../../src/persistence/collections.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import { gatewayCharges, orderBody } from './order-fixtures.ts';

const NEW_YORK = 'America/New_York';
const LOS_ANGELES = 'America/Los_Angeles';

async function order(t: TestCarrier, planId: string, timeZone: string): Promise<string> {
  const body = orderBody(planId, {
    subscriber: { name: 'Grace Hopper', email: 'grace@example.com', timeZone },
  });
  const res = await t.api('/v1/esims', { method: 'POST', json: body });
  expect(res.status).toBe(201);
  return (await json(res)).iccid;
}

/** What the LPA download does when the profile is first enabled: mark it, then fulfil. */
async function enable(t: TestCarrier, iccid: string, enabledAt: number): Promise<void> {
  const { context } = t.carrier;
  await t.store.transaction(async (tx) => {
    const esim = (await tx.get(esims, iccid)) as EsimRecord;
    const enabled: EsimRecord = {
      ...esim,
      profile: { ...esim.profile, state: 'enabled', firstEnabledAt: enabledAt },
    };
    await tx.update(esims, enabled);
    await fulfilOrder(tx, context, enabled, enabledAt);
  });
}

const credits = (entries: LedgerEntry[]) => entries.filter((e) => e.type === 'data_credited');
const entriesOf = (t: TestCarrier, iccid: string) =>
  t.store.transaction((tx) => ledgerOf(tx, iccid));

describe('fulfilOrder', () => {
  let att: TestCarrier;
  beforeAll(async () => {
    att = await startTestCarrier({ carrier: 'att', seed: 21 });
  });
  afterAll(() => att.close());

  it("credits the base plan once, expiring at the local midnight ending day 30 in the subscriber's zone", async () => {
    const enabledAt = Date.parse('2026-03-07T15:00:00Z'); // 10:00 EST; DST starts 03-08
    const iccid = await order(att, 'att-unlimited-starter', NEW_YORK);
    await enable(att, iccid, enabledAt);
    await enable(att, iccid, enabledAt + 1000);

    const [credit, ...more] = credits(await entriesOf(att, iccid));
    expect(more).toEqual([]);
    expect(credit).toMatchObject({
      at: enabledAt,
      bucket: 'base',
      bytes: 50_000_000_000,
      source: { kind: 'order', ref: iccid },
    });
    // Day 1 is 2026-03-07, day 30 is 2026-04-05; it ends at 00:00 EDT on 04-06.
    expect(new Date((credit as { expiresAt: number }).expiresAt).toISOString()).toBe(
      '2026-04-06T04:00:00.000Z',
    );

    const [charge] = await gatewayCharges(att, `?iccid=${iccid}`);
    expect(charge).toMatchObject({ status: 'captured', purpose: { kind: 'order', ref: iccid } });
    const activated = await att.store.transaction((tx) => tx.find(events, { iccid }));
    expect(activated.filter((e) => e.type === 'esim.activated')).toHaveLength(1);
  });

  it('judges the local day in the subscriber zone, not the carrier zone', async () => {
    const enabledAt = Date.parse('2026-03-07T15:00:00Z'); // 07:00 PST
    const iccid = await order(att, 'att-unlimited-starter', LOS_ANGELES);
    await enable(att, iccid, enabledAt);
    const [credit] = credits(await entriesOf(att, iccid));
    expect(new Date((credit as { expiresAt: number }).expiresAt).toISOString()).toBe(
      '2026-04-06T07:00:00.000Z',
    );
  });

  it('shows the data and expiry once started, and `expired` with throttling after it', async () => {
    const iccid = await order(att, 'att-value-plus', NEW_YORK);
    await enable(att, iccid, att.carrier.context.clock.now());

    const live = await json(await att.api(`/v1/esims/${iccid}`));
    expect(live).toMatchObject({ state: 'enabled', status: 'active' });
    expect(live.balance.dataRemainingBytes).toBe(20_000_000_000);
    const expiry = Date.parse(live.balance.expiresAt);
    expect(expiry - att.carrier.context.clock.now()).toBeGreaterThan(29 * DAY_MS - 2 * 3600_000);
    expect(expiry - att.carrier.context.clock.now()).toBeLessThanOrEqual(30 * DAY_MS + 3600_000);
    expect(await json(await att.api(`/v1/esims/${iccid}/usage`))).toEqual({
      dataUsedBytes: 0,
      dataRemainingBytes: 20_000_000_000,
      throttled: false,
    });

    att.carrier.context.clock.advance(31 * DAY_MS);
    const lapsed = await json(await att.api(`/v1/esims/${iccid}`));
    expect(lapsed).toMatchObject({
      status: 'expired',
      balance: { dataRemainingBytes: 0, expiresAt: null },
    });
    expect(await json(await att.api(`/v1/esims/${iccid}/usage`))).toEqual({
      dataUsedBytes: 0,
      dataRemainingBytes: 0,
      throttled: true,
    });
  });
});

describe('fulfilOrder during a promotion', () => {
  let tmobile: TestCarrier;
  beforeAll(async () => {
    tmobile = await startTestCarrier({ carrier: 'tmobile', seed: 22 });
  });
  afterAll(() => tmobile.close());

  it('adds the Black Friday bonus as a promo bucket that no charge pays for', async () => {
    const enabledAt = Date.parse('2026-11-28T20:00:00Z'); // Saturday noon in Los Angeles
    const iccid = await order(tmobile, 'tmobile-essentials', NEW_YORK);
    await enable(tmobile, iccid, enabledAt);
    const byBucket = Object.fromEntries(
      credits(await entriesOf(tmobile, iccid)).map((e) => [(e as { bucket: string }).bucket, e]),
    );
    expect(byBucket.promo).toMatchObject({
      bytes: 5_000_000_000,
      source: { kind: 'promotion' },
      expiresAt: (byBucket.base as { expiresAt: number }).expiresAt,
    });
    expect(byBucket.base).toMatchObject({ source: { kind: 'order', ref: iccid } });
  });

  it('adds no bonus outside the promotion window', async () => {
    const iccid = await order(tmobile, 'tmobile-essentials', NEW_YORK);
    await enable(tmobile, iccid, Date.parse('2026-12-02T20:00:00Z'));
    expect(
      credits(await entriesOf(tmobile, iccid)).map((e) => (e as { bucket: string }).bucket),
    ).toEqual(['base']);
  });
});
