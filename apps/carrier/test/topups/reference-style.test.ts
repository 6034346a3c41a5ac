import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import {
  activatedEsim,
  addon,
  auditOf,
  type LooseJson,
  topup,
  topupCharges,
} from './topup-fixtures.ts';

let tmobile: TestCarrier;
let iccid: string;
let boost: LooseJson;
beforeAll(async () => {
  tmobile = await startTestCarrier({ carrier: 'tmobile' });
  iccid = (await activatedEsim(tmobile)).esim.iccid;
  boost = await addon(tmobile, 'boost');
});
afterAll(() => tmobile.close());

const lookup = async (reference: string): Promise<LooseJson[]> =>
  (await json(await tmobile.api(`/v1/esims/${iccid}/topups?clientReference=${reference}`))).data;

describe('top-ups in the reference style (tmobile)', () => {
  it('takes no idempotency key and documents its maximum processing time', async () => {
    const res = await topup(tmobile, iccid, {
      planId: boost.id,
      paymentMethod: 'pm_card_visa',
      clientReference: 'ref-1',
    });
    expect(res.status).toBe(201);
    expect(Number(res.headers.get('esimlab-max-processing-ms'))).toBeGreaterThan(3000);
    expect((await json(res)).clientReference).toBe('ref-1');
  });

  it('lets a careful client find its purchase by clientReference instead of buying again', async () => {
    const res = await topup(tmobile, iccid, {
      planId: boost.id,
      paymentMethod: 'pm_card_visa',
      clientReference: 'ref-2',
    });
    const bought = await json(res);
    // The response was "lost": the client looks up before retrying, finds it, and stops.
    const found = await lookup('ref-2');
    expect(found.map((t) => t.id)).toEqual([bought.id]);
    expect(found[0].status).toBe('succeeded');
    expect((await auditOf(tmobile)).ok).toBe(true);
  });

  it('shows the duplicate a naive client makes by retrying blindly', async () => {
    const body = { planId: boost.id, paymentMethod: 'pm_card_visa', clientReference: 'naive-1' };
    expect((await topup(tmobile, iccid, body)).status).toBe(201);
    expect((await topup(tmobile, iccid, body)).status).toBe(201);
    expect(await lookup('naive-1')).toHaveLength(2);
    const report = await auditOf(tmobile);
    expect(report.ok).toBe(false);
    expect(report.counts.duplicate_charge).toBe(1);
    const captured = (await topupCharges(tmobile, iccid)).filter((c) => c.status === 'captured');
    const naiveIds = (await lookup('naive-1')).map((t) => t.chargeId).sort();
    expect(report.violations[0].evidence.chargeIds.slice().sort()).toEqual(naiveIds);
    expect(captured.length).toBeGreaterThanOrEqual(4);
  });

  it('abandons a purchase whose client hung up before the commit began', async () => {
    const before = (await topupCharges(tmobile, iccid)).length;
    const controller = new AbortController();
    const pending = topup(tmobile, iccid, {
      planId: boost.id,
      paymentMethod: 'pm_card_slow',
      clientReference: 'hung-up',
    });
    void pending.catch(() => undefined);
    // The slow gateway holds the request for 3 s; the client gives up after 0.5 s.
    const aborted = fetch(`${tmobile.baseUrl}/v1/esims/${iccid}/topups`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk_test_esimlab', 'content-type': 'application/json' },
      body: JSON.stringify({
        planId: boost.id,
        paymentMethod: 'pm_card_slow',
        clientReference: 'hung-up-2',
      }),
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 500);
    await expect(aborted).rejects.toThrow();
    await pending;
    // Well past the carrier's maximum processing time, nothing was bought for the abandoned request.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(await lookup('hung-up-2')).toEqual([]);
    expect(await lookup('hung-up')).toHaveLength(1);
    expect((await topupCharges(tmobile, iccid)).length).toBe(before + 1);
  });
});
