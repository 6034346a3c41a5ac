import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/checker/check-report.ts';
import { type CheckedCarrier, checkRun, DEV_API_KEY } from '../../src/checker/check-run.ts';
import { CheckerError } from '../../src/checker/checker-error.ts';
import { formatCheckReport } from '../../src/checker/format-check-report.ts';
import { IntentLog } from '../../src/intents/intent-log.ts';
import type { IntentRecord } from '../../src/intents/intent-record.ts';
import {
  activatedEsim,
  addonOf,
  buyTopup,
  type CarrierAt,
  carrierMisreportingUsage,
  closedPortUrl,
  expectStatus,
  type LooseJson,
  resetCarrier,
  startTwoCarriers,
  waitFor,
  webhookReceiver,
} from './carrier-fixtures.ts';

// Two real carrier processes for the whole file, reset before each case.
let carriers: Awaited<ReturnType<typeof startTwoCarriers>>;
let att: CarrierAt;
let tmobile: CarrierAt;
let checked: CheckedCarrier[];
beforeAll(async () => {
  carriers = await startTwoCarriers();
  att = carriers.att;
  tmobile = carriers.tmobile;
  checked = [
    { carrier: 'att', baseUrl: att.baseUrl },
    { carrier: 'tmobile', baseUrl: tmobile.baseUrl },
  ];
}, 60_000);
afterAll(() => carriers?.running.stop());
beforeEach(async () => {
  await Promise.all([resetCarrier(att), resetCarrier(tmobile)]);
});

type IntentFields = Pick<IntentRecord, 'intentId' | 'iccid' | 'planId' | 'outcome'> &
  Partial<IntentRecord>;

/** An intent record with the bookkeeping fields filled in. */
const intent = (fields: IntentFields): IntentRecord => ({
  carrier: 'att',
  strategy: 'idempotent',
  attempts: [{ atMs: 0, durationMs: 12, request: 'POST /v1/esims/…/topups', result: '201' }],
  startedAtMs: 0,
  endedAtMs: 12,
  ...fields,
});

const kindsOf = (report: CheckReport): string[] => report.violations.map((v) => v.kind);

/** A webhook endpoint of tenant dev for `events`, at `url`. */
async function endpoint(c: CarrierAt, url: string, events: string[]): Promise<string> {
  const created = await expectStatus(
    await c.call('/v1/webhook-endpoints', { method: 'POST', json: { url, events } }),
    201,
    'endpoint',
  );
  return created.id;
}

async function deliveriesOf(c: CarrierAt, endpointId: string): Promise<LooseJson[]> {
  const res = await c.call(`/v1/webhook-endpoints/${endpointId}/deliveries`);
  return (await expectStatus(res, 200, 'deliveries')).data;
}

async function triggerEvent(c: CarrierAt, iccid: string): Promise<string> {
  const res = await c.call('/_sim/webhooks/trigger', {
    method: 'POST',
    json: { type: 'topup.succeeded', iccid },
  });
  return (await expectStatus(res, 202, 'trigger')).eventId;
}

describe('checkRun', () => {
  it('reports nothing for a clean run on two carriers, with its webhooks applied once', async () => {
    const receiver = await webhookReceiver();
    try {
      const endpointId = await endpoint(att, receiver.url, ['topup.succeeded']);
      const attEsim = await activatedEsim(att);
      const tmoEsim = await activatedEsim(tmobile);
      const attBoost = await addonOf(att, 'boost');
      const tmoBoost = await addonOf(tmobile, 'boost');
      const attTopup = await buyTopup(att, attEsim.iccid, { planId: attBoost.id, key: 'k-1' });
      const tmoTopup = await buyTopup(tmobile, tmoEsim.iccid, {
        planId: tmoBoost.id,
        clientReference: 'ref-1',
      });
      const log = new IntentLog();
      log.record(
        intent({
          intentId: 'i-att',
          iccid: attEsim.iccid,
          planId: attBoost.id,
          idempotencyKey: 'k-1',
          outcome: 'ok',
          topupId: attTopup.id,
        }),
      );
      log.record(
        intent({
          intentId: 'i-tmo',
          carrier: 'tmobile',
          strategy: 'reference',
          iccid: tmoEsim.iccid,
          planId: tmoBoost.id,
          clientReference: 'ref-1',
          outcome: 'ok',
          topupId: tmoTopup.id,
        }),
      );
      await waitFor('the top-up event to be delivered', async () =>
        (await deliveriesOf(att, endpointId)).some((d) => d.status === 'delivered')
          ? true
          : undefined,
      );

      const report = await checkRun({
        carriers: checked,
        intents: log,
        receivers: [{ name: 'app', carrier: 'att', endpointId, applied: receiver.received }],
      });

      expect(report.violations).toEqual([]);
      expect(report.ok).toBe(true);
      expect(Object.values(report.counts).every((n) => n === 0)).toBe(true);
      expect(report.skipped).toEqual([]);
      expect(report.intents).toEqual([
        { intentId: 'i-att', carrier: 'att', outcome: 'ok', violations: [] },
        { intentId: 'i-tmo', carrier: 'tmobile', outcome: 'ok', violations: [] },
      ]);
      expect(formatCheckReport(report)).toBe('checker: ok, no violations (2 intents)');
    } finally {
      await receiver.close();
    }
  });

  it('reports the duplicate a blind retry made in the reference style, naming the intent', async () => {
    const { iccid } = await activatedEsim(tmobile);
    const boost = await addonOf(tmobile, 'boost');
    await buyTopup(tmobile, iccid, { planId: boost.id, clientReference: 'ref-dup' });
    const second = await buyTopup(tmobile, iccid, { planId: boost.id, clientReference: 'ref-dup' });

    const report = await checkRun({
      carriers: checked,
      intents: [
        intent({
          intentId: 'i-dup',
          carrier: 'tmobile',
          strategy: 'mutant:reference-blind-retry',
          iccid,
          planId: boost.id,
          clientReference: 'ref-dup',
          outcome: 'ok',
          topupId: second.id,
        }),
      ],
    });

    expect(report.ok).toBe(false);
    expect(kindsOf(report)).toEqual(['duplicate_charge']);
    expect(report.counts.duplicate_charge).toBe(1);
    const [duplicate] = report.violations;
    expect(duplicate).toMatchObject({ carrier: 'tmobile', intentIds: ['i-dup'] });
    expect(duplicate?.evidence).toMatchObject({
      chargeIds: expect.arrayContaining([second.chargeId]),
    });
    expect(report.intents).toEqual([
      { intentId: 'i-dup', carrier: 'tmobile', outcome: 'ok', violations: ['duplicate_charge'] },
    ]);
    expect(formatCheckReport(report)).toContain('✗ duplicate_charge (tmobile):');
  });

  it('reports an ok intent whose top-up never happened', async () => {
    const { iccid } = await activatedEsim(att);
    const boost = await addonOf(att, 'boost');

    const report = await checkRun({
      carriers: checked,
      intents: [
        intent({
          intentId: 'i-ghost',
          iccid,
          planId: boost.id,
          idempotencyKey: 'k-ghost',
          outcome: 'ok',
          topupId: 'tu_never_bought',
        }),
      ],
    });

    expect(kindsOf(report)).toEqual(['ok_intent_not_credited']);
    expect(report.violations[0]).toMatchObject({ carrier: 'att', iccid, intentIds: ['i-ghost'] });
    expect(report.intents[0]?.violations).toEqual(['ok_intent_not_credited']);
  });

  it('reports a failed intent that was charged', async () => {
    const { iccid } = await activatedEsim(att);
    const boost = await addonOf(att, 'boost');
    const bought = await buyTopup(att, iccid, { planId: boost.id, key: 'k-paid' });

    const report = await checkRun({
      carriers: checked,
      intents: [
        intent({
          intentId: 'i-failed',
          iccid,
          planId: boost.id,
          idempotencyKey: 'k-paid',
          outcome: 'failed',
        }),
      ],
    });

    expect(kindsOf(report)).toEqual(['failed_intent_charged']);
    expect(report.violations[0]?.evidence).toMatchObject({ chargeIds: [bought.chargeId] });
  });

  it('shows how each unknown intent turned out', async () => {
    const { iccid } = await activatedEsim(att);
    const boost = await addonOf(att, 'boost');
    await buyTopup(att, iccid, { planId: boost.id, key: 'k-lost-response' });

    const report = await checkRun({
      carriers: checked,
      intents: [
        intent({
          intentId: 'i-bought',
          iccid,
          planId: boost.id,
          idempotencyKey: 'k-lost-response',
          outcome: 'unknown',
        }),
        intent({
          intentId: 'i-never-sent',
          iccid,
          planId: boost.id,
          idempotencyKey: 'k-never-sent',
          outcome: 'unknown',
        }),
      ],
    });

    expect(report.ok).toBe(true);
    expect(report.intents).toEqual([
      {
        intentId: 'i-bought',
        carrier: 'att',
        outcome: 'unknown',
        resolution: 'charged_and_credited',
        violations: [],
      },
      {
        intentId: 'i-never-sent',
        carrier: 'att',
        outcome: 'unknown',
        resolution: 'not_charged',
        violations: [],
      },
    ]);
    const text = formatCheckReport(report);
    expect(text).toContain('unknown intents:');
    expect(text).toContain('? i-bought (att): charged_and_credited');
    expect(text).toContain('? i-never-sent (att): not_charged');
  });

  it('reports an event a receiver applied twice', async () => {
    const receiver = await webhookReceiver();
    try {
      const endpointId = await endpoint(att, receiver.url, ['topup.succeeded']);
      const { iccid } = await activatedEsim(att);
      const eventId = await triggerEvent(att, iccid);
      const delivery = await waitFor('the delivery', async () =>
        (await deliveriesOf(att, endpointId)).find((d) => d.status === 'delivered'),
      );
      // The carrier delivers at least once: a resend is the same event again.
      await expectStatus(
        await att.call(`/v1/webhook-deliveries/${delivery.id}/resend`, { method: 'POST' }),
        202,
        'resend',
      );
      await waitFor('the second copy', async () =>
        receiver.received.length === 2 ? true : undefined,
      );

      // A naive receiver applies every copy it gets.
      const report = await checkRun({
        carriers: checked,
        intents: [],
        receivers: [{ name: 'naive-app', carrier: 'att', endpointId, applied: receiver.received }],
      });

      expect(kindsOf(report)).toEqual(['event_applied_twice']);
      expect(report.violations[0]).toMatchObject({
        carrier: 'att',
        evidence: { receiver: 'naive-app', eventId, appliedCount: 2, deliveryIds: [delivery.id] },
      });

      // Deduping on the event id is what a correct receiver does.
      const deduped = await checkRun({
        carriers: checked,
        intents: [],
        receivers: [
          { name: 'app', carrier: 'att', endpointId, applied: [receiver.received[0] as LooseJson] },
        ],
      });
      expect(deduped.ok).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  it('reports an event never delivered once the carrier gave up, not while it still retries', async () => {
    const endpointId = await endpoint(att, await closedPortUrl(), ['topup.succeeded']);
    const { iccid } = await activatedEsim(att);
    const eventId = await triggerEvent(att, iccid);
    await waitFor('the first refused attempt', async () =>
      (await deliveriesOf(att, endpointId)).find((d) => d.attempts.length > 0),
    );
    const receivers = [{ name: 'offline-app', carrier: 'att' as const, endpointId, applied: [] }];

    const retrying = await checkRun({ carriers: checked, intents: [], receivers });
    expect(retrying.ok).toBe(true);
    expect(retrying.skipped).toEqual([
      expect.objectContaining({
        carrier: 'att',
        check: 'webhook_deliveries',
        subject: `offline-app: event ${eventId}`,
      }),
    ]);

    // Past every retry of the schedule (about 45 hours).
    await expectStatus(
      await att.call('/_sim/clock/advance', { method: 'POST', json: { by: 'P3D' } }),
      200,
      'advance',
    );
    const report = await checkRun({ carriers: checked, intents: [], receivers });

    expect(kindsOf(report)).toEqual(['event_not_delivered']);
    expect(report.violations[0]).toMatchObject({
      carrier: 'att',
      evidence: {
        receiver: 'offline-app',
        eventId,
        eventType: 'topup.succeeded',
        deliveryStatuses: ['failed'],
        appliedCount: 0,
      },
    });
    expect(report.violations[0]?.message).toContain('gave up retrying');
    expect(report.skipped).toEqual([]);
  });

  it("reports a carrier whose subscribers' balance disagrees with its ledger", async () => {
    const { iccid } = await activatedEsim(att);
    const boost = await addonOf(att, 'boost');
    await buyTopup(att, iccid, { planId: boost.id, key: 'k-1' });
    const lying = await carrierMisreportingUsage(att, (bytes) => bytes + 1);
    try {
      const report = await checkRun({
        carriers: [{ carrier: 'att', baseUrl: lying.baseUrl }],
        intents: [],
      });
      expect(kindsOf(report)).toEqual(['balance_mismatch']);
      const [mismatch] = report.violations;
      expect(mismatch).toMatchObject({ carrier: 'att', iccid });
      const evidence = mismatch?.evidence as LooseJson;
      expect(evidence.carrierView.dataRemainingBytes).toBe(evidence.derived.dataRemainingBytes + 1);
      expect(evidence.derived.dataRemainingBytes).toBeGreaterThan(boost.dataBytes);
    } finally {
      await lying.close();
    }
  });

  it("checks another tenant's eSIM only with that tenant's key, and says when it could not", async () => {
    const acme = await expectStatus(
      await att.call('/_sim/tenants', { method: 'POST', json: { name: 'acme' } }),
      201,
      'tenant',
    );
    const { data } = await expectStatus(await att.call('/v1/plans'), 200, 'plans');
    const order = await att.call('/v1/esims', {
      method: 'POST',
      headers: { authorization: `Bearer ${acme.apiKey}` },
      json: {
        planId: data.find((p: LooseJson) => p.kind === 'base').id,
        paymentMethod: 'pm_card_visa',
        subscriber: { name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'America/Chicago' },
      },
    });
    const { iccid } = await expectStatus(order, 201, 'order');

    const devOnly = await checkRun({ carriers: checked, intents: [] });
    expect(devOnly.ok).toBe(true);
    expect(devOnly.skipped).toEqual([
      expect.objectContaining({ carrier: 'att', check: 'balance', subject: iccid }),
    ]);
    expect(formatCheckReport(devOnly)).toContain(`not checked:\n  - balance ${iccid} (att)`);

    const withKey = await checkRun({
      carriers: [{ carrier: 'att', baseUrl: att.baseUrl, apiKeys: [DEV_API_KEY, acme.apiKey] }],
      intents: [],
    });
    expect(withKey.skipped).toEqual([]);
    expect(withKey.ok).toBe(true);
  });

  it('audits an intent log longer than one request body holds', async () => {
    const { iccid } = await activatedEsim(att);
    const boost = await addonOf(att, 'boost');
    await buyTopup(att, iccid, { planId: boost.id, key: 'k-real' });
    const log = new IntentLog();
    for (let n = 0; n < 900; n++) {
      log.record(
        intent({
          intentId: `i-${n}`,
          iccid,
          planId: boost.id,
          idempotencyKey: `k-${n}`,
          outcome: 'unknown',
        }),
      );
    }
    log.record(
      intent({
        intentId: 'i-real',
        iccid,
        planId: boost.id,
        idempotencyKey: 'k-real',
        outcome: 'failed',
      }),
    );
    expect(JSON.stringify(log.toTopupIntents('att')).length).toBeGreaterThan(64 * 1024);

    const report = await checkRun({ carriers: checked, intents: log });

    expect(report.intents).toHaveLength(901);
    expect(report.intents.filter((i) => i.resolution === 'not_charged')).toHaveLength(900);
    expect(kindsOf(report)).toEqual(['failed_intent_charged']);
    expect(report.violations[0]?.intentIds).toEqual(['i-real']);
  });

  it('throws a CheckerError naming the carrier when it cannot be reached', async () => {
    const nowhere = new URL(await closedPortUrl()).origin;
    const failure = await checkRun({
      carriers: [{ carrier: 'att', baseUrl: nowhere }],
      intents: [],
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CheckerError);
    expect(failure).toMatchObject({ code: 'carrier_unreachable' });
    expect((failure as Error).message).toContain(`cannot reach carrier att at ${nowhere}`);
  });

  it('refuses intents on a carrier it was not given', async () => {
    const failure = await checkRun({
      carriers: [{ carrier: 'att', baseUrl: att.baseUrl }],
      intents: [
        intent({
          intentId: 'i-vz',
          carrier: 'verizon',
          iccid: '8914800000000000006',
          planId: 'x',
          outcome: 'ok',
        }),
      ],
    }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: 'CheckerError', code: 'checker_input_invalid' });
    expect((failure as Error).message).toContain('intent i-vz is on carrier verizon');
  });
});
