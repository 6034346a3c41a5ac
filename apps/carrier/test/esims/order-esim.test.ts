import {
  type BasePlan,
  type CarrierId,
  carrierProfiles,
  imsiParts,
  isFictionalMsisdn,
  parseActivationCode,
  parseIccid,
  parseImsi,
  parseMsisdn,
} from '@esimlab/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledger } from '../../src/persistence/collections.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import { gatewayCharges, listedEsims, orderBody } from './order-fixtures.ts';

const carriers: CarrierId[] = ['att', 'tmobile', 'verizon'];
const running = new Map<CarrierId, TestCarrier>();

beforeAll(async () => {
  for (const carrier of carriers) running.set(carrier, await startTestCarrier({ carrier }));
});
afterAll(async () => {
  for (const t of running.values()) await t.close();
});

const carrierUnderTest = (carrier: CarrierId): TestCarrier => {
  const t = running.get(carrier);
  if (!t) throw new Error(`${carrier} is not running`);
  return t;
};

function basePlan(carrier: CarrierId, confirmationCodeRequired: boolean): BasePlan {
  const plan = carrierProfiles[carrier].plans.find(
    (p): p is BasePlan =>
      p.kind === 'base' && p.confirmationCodeRequired === confirmationCodeRequired,
  );
  if (!plan)
    throw new Error(
      `${carrier} has no base plan with confirmationCodeRequired=${confirmationCodeRequired}`,
    );
  return plan;
}

describe.each(carriers)('POST /v1/esims on %s', (carrier) => {
  const profile = carrierProfiles[carrier];

  it('issues valid identifiers, a parseable activation code and an authorized charge', async () => {
    const t = carrierUnderTest(carrier);
    const plan = basePlan(carrier, false);
    const res = await t.api('/v1/esims', { method: 'POST', json: orderBody(plan.id) });
    expect(res.status).toBe(201);
    const esim = await json(res);
    expect(res.headers.get('location')).toBe(`/v1/esims/${esim.iccid}`);

    expect(parseIccid(esim.iccid, 'iccid', { issuerId: profile.iccidIssuerId })).toEqual({
      ok: true,
      value: esim.iccid,
    });
    const imsi = parseImsi(esim.imsi);
    if (!imsi.ok) throw new Error(imsi.error.message);
    expect(imsiParts(imsi.value)).toMatchObject({ mcc: profile.mcc, mnc: profile.mnc });
    const msisdn = parseMsisdn(esim.msisdn);
    if (!msisdn.ok) throw new Error(msisdn.error.message);
    expect(isFictionalMsisdn(msisdn.value)).toBe(true);

    const code = parseActivationCode(esim.activationCode);
    if (!code.ok) throw new Error(code.error.message);
    expect(code.value.smdpAddress).toBe(`smdp.${carrier}.esimlab.test`);
    expect(code.value.confirmationCodeRequired).toBe(false);
    expect(code.value.matchingId).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);

    expect(esim).toMatchObject({
      eid: null,
      state: 'released',
      status: 'active',
      planId: plan.id,
      confirmationCodeRequired: false,
      autoRenew: plan.autoRenewable,
      balance: { dataRemainingBytes: 0, expiresAt: null },
    });
    expect(esim).not.toHaveProperty('confirmationCode');
    expect(new Date(esim.createdAt).toISOString()).toBe(esim.createdAt);
    expect(esim.qrCodeUrl).toMatch(
      new RegExp(`^${t.baseUrl}/v1/esims/${esim.iccid}/qr\\.png\\?token=[A-Za-z0-9_-]{24}$`),
    );

    const charges = await gatewayCharges(t, `?iccid=${esim.iccid}`);
    expect(charges).toEqual([
      {
        id: expect.stringMatching(/^ch_/),
        amount: plan.price,
        status: 'authorized',
        purpose: { kind: 'order', ref: esim.iccid },
        createdAt: esim.createdAt,
      },
    ]);
  });

  it('shows the confirmation code once, and never inside the activation code', async () => {
    const t = carrierUnderTest(carrier);
    const plan = basePlan(carrier, true);
    const res = await t.api('/v1/esims', { method: 'POST', json: orderBody(plan.id) });
    expect(res.status).toBe(201);
    const esim = await json(res);
    expect(esim.confirmationCodeRequired).toBe(true);
    expect(esim.confirmationCode).toMatch(/^[0-9]{6}$/);
    expect(esim.activationCode).toMatch(/\$\$1$/);
    expect(esim.activationCode).not.toContain(esim.confirmationCode);
    const code = parseActivationCode(esim.activationCode);
    expect(code.ok && code.value.confirmationCodeRequired).toBe(true);

    const read = await (await t.api(`/v1/esims/${esim.iccid}`)).text();
    const list = await (await t.api('/v1/esims?limit=100')).text();
    expect(JSON.parse(read).iccid).toBe(esim.iccid);
    expect(read).not.toContain('confirmationCode"');
    expect(read).not.toContain(esim.confirmationCode);
    expect(list).not.toContain(esim.confirmationCode);
  });
});

describe('POST /v1/esims binding a device', () => {
  it('links the profile to the EID given in the order', async () => {
    const t = carrierUnderTest('att');
    const eid = '89882119900000000000000000001654';
    const res = await t.api('/v1/esims', {
      method: 'POST',
      json: orderBody('att-prepaid-16gb', { eid }),
    });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ eid, state: 'released', autoRenew: false });
  });
});

describe('POST /v1/esims rejecting bad orders', () => {
  let t: TestCarrier;
  beforeAll(async () => {
    t = await startTestCarrier({ carrier: 'att', seed: 7 });
  });
  afterAll(() => t.close());

  const valid = orderBody('att-unlimited-starter');
  const cases: {
    name: string;
    init: RequestInit & { json?: unknown };
    status: number;
    code: string;
    mentions: string;
  }[] = [
    {
      name: 'an unknown field',
      init: { json: { ...valid, coupon: 'FREE' } },
      status: 400,
      code: 'invalid_request',
      mentions: 'coupon',
    },
    {
      name: 'an unknown subscriber field',
      init: { json: { ...valid, subscriber: { ...valid.subscriber, phone: '1' } } },
      status: 400,
      code: 'invalid_request',
      mentions: 'phone',
    },
    {
      name: 'a number for planId',
      init: { json: { ...valid, planId: 42 } },
      status: 400,
      code: 'invalid_request',
      mentions: 'body.planId',
    },
    {
      name: 'a missing subscriber',
      init: { json: { planId: valid.planId, paymentMethod: 'pm_card_visa' } },
      status: 400,
      code: 'invalid_request',
      mentions: 'body.subscriber',
    },
    {
      name: 'a bad email',
      init: { json: { ...valid, subscriber: { ...valid.subscriber, email: 'ada-at-example' } } },
      status: 400,
      code: 'invalid_request',
      mentions: 'body.subscriber.email',
    },
    {
      name: 'a time zone abbreviation',
      init: { json: { ...valid, subscriber: { ...valid.subscriber, timeZone: 'EST' } } },
      status: 400,
      code: 'invalid_request',
      mentions: 'America/New_York',
    },
    {
      name: 'an unknown time zone',
      init: {
        json: { ...valid, subscriber: { ...valid.subscriber, timeZone: 'Mars/Olympus_Mons' } },
      },
      status: 400,
      code: 'invalid_request',
      mentions: 'body.subscriber.timeZone',
    },
    {
      name: 'an EID with wrong check digits',
      init: { json: { ...valid, eid: '89882119900000000000000000001655' } },
      status: 400,
      code: 'invalid_request',
      mentions: 'body.eid',
    },
    {
      name: 'an unknown payment method',
      init: { json: { ...valid, paymentMethod: 'pm_card_amex' } },
      status: 400,
      code: 'invalid_request',
      mentions: 'pm_card_visa, pm_card_mastercard, pm_paypal',
    },
    {
      name: 'an unknown plan',
      init: { json: { ...valid, planId: 'att-unlimited-forever' } },
      status: 422,
      code: 'plan_not_found',
      mentions: 'GET /v1/plans',
    },
    {
      name: "another carrier's plan",
      init: { json: { ...valid, planId: 'tmobile-essentials' } },
      status: 422,
      code: 'plan_not_found',
      mentions: 'it is a `tmobile` plan',
    },
    {
      name: 'an add-on plan',
      init: { json: { ...valid, planId: 'att-pass-1d' } },
      status: 422,
      code: 'plan_not_found',
      mentions: 'needs a base plan',
    },
    {
      name: 'an array body',
      init: { json: [valid] },
      status: 400,
      code: 'invalid_request',
      mentions: 'body',
    },
    { name: 'no body', init: {}, status: 400, code: 'invalid_request', mentions: 'body' },
    {
      name: 'malformed JSON',
      init: { body: '{"planId": ', headers: { 'content-type': 'application/json' } },
      status: 400,
      code: 'invalid_request',
      mentions: 'not valid JSON',
    },
    {
      name: 'a form body',
      init: { body: 'planId=att-unlimited-starter', headers: { 'content-type': 'text/plain' } },
      status: 415,
      code: 'unsupported_media_type',
      mentions: 'application/json',
    },
    {
      name: 'a body over 64 KiB',
      init: { json: { ...valid, subscriber: { ...valid.subscriber, name: 'x'.repeat(70_000) } } },
      status: 413,
      code: 'payload_too_large',
      mentions: '65536',
    },
  ];

  it.each(cases)('refuses $name with $status $code', async ({ init, status, code, mentions }) => {
    const res = await t.api('/v1/esims', { method: 'POST', ...init });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = await json(res);
    expect(problem.code).toBe(code);
    expect(JSON.stringify(problem)).toContain(mentions);
  });

  it('created nothing for any of them: no eSIM, charge or ledger entry', async () => {
    expect(await listedEsims(t)).toEqual([]);
    expect(await gatewayCharges(t)).toEqual([]);
    expect(await t.store.transaction((tx) => tx.count(ledger, {}))).toBe(0);
  });
});

describe('POST /v1/esims with an Idempotency-Key', () => {
  let t: TestCarrier;
  beforeAll(async () => {
    t = await startTestCarrier({ carrier: 'att', seed: 11 });
  });
  afterAll(() => t.close());

  const post = (key: string, body: unknown) =>
    t.api('/v1/esims', { method: 'POST', json: body, headers: { 'idempotency-key': key } });

  it('replays the stored response for a retried key, charging once', async () => {
    const body = orderBody('att-unlimited-premium');
    const first = await post('order-1', body);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const created = await json(first);

    // Same parsed body, keys in another order.
    const { planId, ...rest } = body;
    const retry = await post('order-1', { ...rest, planId });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await json(retry)).toEqual(created);

    expect((await listedEsims(t)).map((e) => e.iccid)).toEqual([created.iccid]);
    const charges = await gatewayCharges(t);
    expect(charges).toHaveLength(1);
    expect(charges[0].idempotencyKey).toBe('order-1');
  });

  it('refuses the same key with another body with 422 idempotency_key_reused', async () => {
    expect((await post('order-2', orderBody('att-value-plus'))).status).toBe(201);
    const res = await post('order-2', orderBody('att-prepaid-16gb'));
    expect(res.status).toBe(422);
    expect((await json(res)).code).toBe('idempotency_key_reused');
    expect(await listedEsims(t)).toHaveLength(2);
  });

  it('refuses a key longer than 255 characters', async () => {
    const res = await post('k'.repeat(256), orderBody('att-value-plus'));
    expect(res.status).toBe(400);
    const problem = await json(res);
    expect(problem.code).toBe('invalid_request');
    expect(problem.detail).toContain('Idempotency-Key');
    expect(await listedEsims(t)).toHaveLength(2);
  });
});
