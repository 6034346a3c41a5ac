import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/http/json-body.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import { activatedEsim, addon, type LooseJson, topup } from '../topups/topup-fixtures.ts';

// One att carrier (idempotent style) with three real top-ups, each bought with its own key.
let att: TestCarrier;
let iccid: string;
const bought: Record<string, LooseJson> = {};
beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att' });
  iccid = (await activatedEsim(att)).esim.iccid;
  const boost = await addon(att, 'boost');
  for (const key of ['key-ok', 'key-failed', 'key-unknown']) {
    const res = await topup(att, iccid, { planId: boost.id, paymentMethod: 'pm_card_visa' }, key);
    if (res.status !== 201) throw new Error(`top-up ${key}: ${res.status} ${await res.text()}`);
    bought[key] = await json(res);
  }
});
afterAll(() => att.close());

const auditWith = (body: unknown) => att.api('/_sim/audit', { method: 'POST', json: body });

const intent = (
  intentId: string,
  idempotencyKey: string,
  outcome: Record<string, unknown>,
): Record<string, unknown> => ({
  intentId,
  iccid,
  planId: bought['key-ok']?.planId,
  idempotencyKey,
  outcome,
});

describe('POST /_sim/audit', () => {
  it('reports nothing when every intent agrees with the ledger and the gateway', async () => {
    const res = await auditWith({
      intents: [
        intent('i-ok', 'key-ok', { status: 'ok', topupId: bought['key-ok']?.id }),
        intent('i-also-ok', 'key-failed', { status: 'ok' }),
      ],
    });
    expect(res.status).toBe(200);
    const report = await json(res);
    expect(report).toMatchObject({ ok: true, violations: [], unknownIntents: [] });
    expect(report.counts.ok_intent_not_credited).toBe(0);
  });

  it('flags an ok intent whose top-up was never credited', async () => {
    const report = await json(
      await auditWith({
        intents: [intent('i-ghost', 'key-never-used', { status: 'ok', topupId: 'tu_never' })],
      }),
    );
    expect(report.ok).toBe(false);
    expect(report.counts.ok_intent_not_credited).toBe(1);
    expect(report.violations).toEqual([
      expect.objectContaining({
        kind: 'ok_intent_not_credited',
        iccid,
        evidence: expect.objectContaining({ intentIds: ['i-ghost'], chargeIds: [] }),
      }),
    ]);
  });

  it('flags a failed intent that was charged, naming its charge', async () => {
    const report = await json(
      await auditWith({ intents: [intent('i-failed', 'key-failed', { status: 'failed' })] }),
    );
    expect(report.counts.failed_intent_charged).toBe(1);
    expect(report.violations).toEqual([
      expect.objectContaining({
        kind: 'failed_intent_charged',
        evidence: expect.objectContaining({
          intentIds: ['i-failed'],
          chargeIds: [bought['key-failed']?.chargeId],
        }),
      }),
    ]);
  });

  it('resolves unknown intents as charged and credited, or not charged', async () => {
    const report = await json(
      await auditWith({
        intents: [
          intent('i-unknown-bought', 'key-unknown', { status: 'unknown' }),
          intent('i-unknown-nothing', 'key-nobody-sent', { status: 'unknown' }),
        ],
      }),
    );
    expect(report.ok).toBe(true);
    expect(report.unknownIntents).toEqual([
      {
        intentId: 'i-unknown-bought',
        resolution: 'charged_and_credited',
        chargeIds: [bought['key-unknown']?.chargeId],
        entryIds: [expect.any(String)],
      },
      { intentId: 'i-unknown-nothing', resolution: 'not_charged', chargeIds: [], entryIds: [] },
    ]);
  });

  it('audits without intents when given an empty log, as GET does', async () => {
    const posted = await json(await auditWith({ intents: [] }));
    const got = await json(await att.api('/_sim/audit'));
    expect(posted).toEqual(got);
    expect(got.unknownIntents).toEqual([]);
  });
});

describe('POST /_sim/audit with a bad intent log', () => {
  const problemOf = async (body: unknown): Promise<LooseJson> => {
    const res = await auditWith(body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = await json(res);
    expect(problem.code).toBe('invalid_request');
    return problem;
  };
  const fieldsOf = (problem: LooseJson): string[] =>
    problem.errors.map((e: { field: string }) => e.field);

  it('names a missing intents list', async () => {
    expect(fieldsOf(await problemOf({}))).toEqual(['body.intents']);
  });

  it('names the field of the intent that is wrong', async () => {
    const good = intent('i-1', 'key-ok', { status: 'ok' });
    expect(
      fieldsOf(await problemOf({ intents: [good, { ...good, intentId: 'i-2', iccid: '123' }] })),
    ).toEqual(['body.intents.1.iccid']);
    const maybe = await problemOf({ intents: [{ ...good, outcome: { status: 'maybe' } }] });
    expect(fieldsOf(maybe)).toEqual(['body.intents.0.outcome.status']);
    expect(maybe.detail).toContain('ok, failed or unknown');
    expect(fieldsOf(await problemOf({ intents: [{ ...good, extra: 1 }] }))).toEqual([
      'body.intents.0',
    ]);
  });

  it('refuses one intent id twice', async () => {
    const twice = intent('i-twice', 'key-ok', { status: 'ok' });
    const problem = await problemOf({ intents: [twice, twice] });
    expect(fieldsOf(problem)).toEqual(['body.intents.1.intentId']);
    expect(problem.detail).toContain('i-twice');
  });

  it('refuses a log over the 64 KiB body limit: 10,000 intents must be sent in batches', async () => {
    const intents = Array.from({ length: 10_000 }, (_, n) =>
      intent(`i-${n}`, `key-${n}`, { status: 'unknown' }),
    );
    expect(JSON.stringify({ intents }).length).toBeGreaterThan(MAX_BODY_BYTES);
    const res = await auditWith({ intents });
    expect(res.status).toBe(413);
    expect((await json(res)).code).toBe('payload_too_large');
  });
});
