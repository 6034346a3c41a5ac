import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import {
  activatedEsim,
  addon,
  auditOf,
  clientRequest,
  faults,
  type LooseJson,
  topupCharges,
  useFaults,
} from './fault-fixtures.ts';

// One att carrier (idempotent style) on a real socket; each case sets its own rules and
// observes the fault from a node:http client on a fresh connection.
let att: TestCarrier;
let iccid: string;
let boost: LooseJson;

beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att' });
  iccid = (await activatedEsim(att)).esim.iccid;
  boost = await addon(att, 'boost');
});
afterAll(() => att.close());
beforeEach(async () => {
  await faults(att, 'DELETE');
  await att.api('/_sim/crash-points', { method: 'DELETE' });
});

const topupsPath = () => `/v1/esims/${iccid}/topups`;
const buyBoost = (key: string, timeoutMs?: number) =>
  clientRequest(att, topupsPath(), {
    method: 'POST',
    json: { planId: boost.id, paymentMethod: 'pm_card_visa' },
    headers: { 'idempotency-key': key },
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
const topupPost = { method: 'POST', path: '/v1/esims/*/topups' };

async function topupsOf(): Promise<LooseJson[]> {
  return (await json(await att.api(topupsPath()))).data;
}

describe('HTTP faults seen by a real client', () => {
  it('delays a matching request by the latency rules that fire', async () => {
    await useFaults(att, [
      { kind: 'latency', match: { path: '/v1/plans' }, params: { ms: 150 } },
      { kind: 'latency', match: { path: '/v1/plans' }, params: { min: 100, max: 100 } },
    ]);
    const outcome = await clientRequest(att, '/v1/plans');
    expect(outcome).toMatchObject({ kind: 'response', status: 200, complete: true });
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(245);
    const fast = await clientRequest(att, '/v1/coverage?lat=40.7&lon=-74');
    expect(fast.elapsedMs).toBeLessThan(150);
  });

  it('answers an error rule with a problem+json body, and Retry-After on 503 and 429', async () => {
    await useFaults(att, [
      { kind: 'error', match: { method: 'GET', path: '/v1/plans' }, params: { status: 503 } },
      { kind: 'error', match: { path: '/v1/esims' }, params: { status: 429, retryAfter: 7 } },
      { kind: 'error', match: { path: '/v1/coverage' }, params: { status: 502 } },
    ]);
    const expected = [
      ['/v1/plans', 503, 'upstream_unavailable', '1'],
      ['/v1/esims', 429, 'rate_limited', '7'],
      ['/v1/coverage?lat=1&lon=1', 502, 'upstream_unavailable', undefined],
    ] as const;
    for (const [path, status, code, retryAfter] of expected) {
      const outcome = await clientRequest(att, path);
      if (outcome.kind !== 'response') throw new Error(`${path}: ${outcome.code}`);
      expect(outcome.status).toBe(status);
      expect(outcome.headers['content-type']).toBe('application/problem+json');
      expect(outcome.headers['retry-after']).toBe(retryAfter);
      const problem = JSON.parse(outcome.body.toString());
      expect(problem).toMatchObject({
        status,
        code,
        instance: path,
        faultRule: expect.any(String),
      });
      expect(problem.requestId).toBe(outcome.headers['x-request-id']);
      expect(problem.type).toMatch(/^https:\/\/esimlab\.dev\/problems\//);
    }
  });

  it('holds a timed-out top-up open without answering until the client gives up; nothing is bought', async () => {
    await useFaults(att, [{ kind: 'timeout', match: topupPost }]);
    const before = (await topupCharges(att, iccid)).length;
    const outcome = await buyBoost('timeout-1', 300);
    expect(outcome).toMatchObject({ kind: 'error', code: 'CLIENT_TIMEOUT' });
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(295);
    expect((await topupCharges(att, iccid)).length).toBe(before);
  });

  it('resets the connection before the carrier sees a reset-before request; nothing is bought', async () => {
    await useFaults(att, [{ kind: 'reset-before', match: topupPost }]);
    const before = await topupsOf();
    const outcome = await buyBoost('reset-before-1');
    expect(outcome).toMatchObject({ kind: 'error', code: 'ECONNRESET' });
    expect(await topupsOf()).toEqual(before);
    expect((await faults(att, 'GET')).body.rules[0].counters).toEqual({ matched: 1, hits: 1 });
  });

  it('commits a reset-after-commit top-up but resets the answer; a retry with its key gets the replay', async () => {
    await useFaults(att, [{ kind: 'reset-after-commit', times: 1, match: topupPost }]);
    const before = (await topupCharges(att, iccid)).length;
    const outcome = await buyBoost('lost-answer');
    expect(outcome).toMatchObject({ kind: 'error', code: 'ECONNRESET' });

    // It happened: the ledger and the gateway show the purchase the client never heard about.
    const committed = (await topupsOf()).at(-1);
    expect(committed).toMatchObject({ planId: boost.id, status: 'succeeded' });
    const charges = await topupCharges(att, iccid);
    expect(charges).toHaveLength(before + 1);
    expect(charges.at(-1)).toMatchObject({
      id: committed.chargeId,
      status: 'captured',
      idempotencyKey: 'lost-answer',
    });

    const retry = await buyBoost('lost-answer');
    if (retry.kind !== 'response') throw new Error(retry.code);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(JSON.parse(retry.body.toString()).id).toBe(committed.id);
    expect(await topupCharges(att, iccid)).toHaveLength(before + 1);
    expect((await auditOf(att)).violations).toEqual([]);
  });

  it('sends the headers and only part of the body for truncated', async () => {
    await useFaults(att, [
      { kind: 'truncated', match: { path: '/v1/plans' }, params: { bytes: 20 } },
    ]);
    const outcome = await clientRequest(att, '/v1/plans');
    if (outcome.kind !== 'response') throw new Error(outcome.code);
    expect(outcome.status).toBe(200);
    expect(Number(outcome.headers['content-length'])).toBeGreaterThan(20);
    expect(outcome.body).toHaveLength(20);
    expect(outcome.complete).toBe(false);
    // fetch sees it the same way: the body cannot be read to the end.
    await expect(att.api('/v1/plans').then((res) => res.json())).rejects.toThrow();
  });

  it('dribbles the whole body over durationMs for slow-body', async () => {
    await useFaults(att, [
      { kind: 'slow-body', match: { path: '/v1/plans' }, params: { durationMs: 400 } },
    ]);
    const outcome = await clientRequest(att, '/v1/plans');
    if (outcome.kind !== 'response') throw new Error(outcome.code);
    expect(outcome.complete).toBe(true);
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(395);
    expect(JSON.parse(outcome.body.toString()).data.length).toBeGreaterThan(0);
  });

  it('crashes at the saga point a crash rule names: armed for that request, then consumed', async () => {
    await useFaults(att, [
      { kind: 'crash', times: 1, match: topupPost, params: { point: 'before-response' } },
    ]);
    const outcome = await buyBoost('crash-1');
    if (outcome.kind !== 'response') throw new Error(outcome.code);
    // The test carrier's crash hook throws instead of exiting: the request fails with a 500.
    expect(outcome.status).toBe(500);
    expect(await json(await att.api('/_sim/crash-points'))).toEqual({ armed: [] });
    const retry = await buyBoost('crash-1');
    expect(retry).toMatchObject({ kind: 'response', status: 201 });
  });

  it('disarms a crash point the faulted request never reached, but keeps one armed by hand', async () => {
    await useFaults(att, [
      { kind: 'crash', match: { path: '/v1/plans' }, params: { point: 'after-credit' } },
      { kind: 'crash', match: { path: '/v1/esims' }, params: { point: 'after-capture' } },
    ]);
    await att.api('/_sim/crash-points', { method: 'POST', json: { point: 'after-capture' } });
    expect(await clientRequest(att, '/v1/plans')).toMatchObject({ status: 200 });
    expect(await clientRequest(att, '/v1/esims')).toMatchObject({ status: 200 });
    await expect
      .poll(async () => json(await att.api('/_sim/crash-points')))
      .toEqual({ armed: ['after-capture'] });
  });

  it('fails the same requests for the same seed, and others for another seed', async () => {
    const rules = [
      { kind: 'error', probability: 0.5, match: { path: '/v1/plans' }, params: { status: 500 } },
    ];
    const statuses = async (seed: number) => {
      await useFaults(att, rules, seed);
      const seen: number[] = [];
      for (let i = 0; i < 24; i++) seen.push((await att.api('/v1/plans')).status);
      return seen;
    };
    const first = await statuses(42);
    expect(new Set(first)).toEqual(new Set([200, 500]));
    expect(await statuses(42)).toEqual(first);
    expect(await statuses(43)).not.toEqual(first);
  });

  it('never faults /_sim/*, /healthz or /metrics, even under carrier-outage and a reset-everything rule', async () => {
    expect((await faults(att, 'POST', '/_sim/faults/presets/carrier-outage')).status).toBe(200);
    await faults(att, 'PATCH', '/_sim/faults', { kind: 'reset-before' });
    expect((await clientRequest(att, '/v1/plans')).kind).toBe('response');
    expect(await clientRequest(att, '/v1/plans')).toMatchObject({ status: 503 });
    for (const path of [
      '/_sim/faults',
      '/_sim/config',
      '/_sim/crash-points',
      '/healthz',
      '/metrics',
    ]) {
      expect(await clientRequest(att, path), path).toMatchObject({ kind: 'response', status: 200 });
    }
    // Outside /v1, only the catch-all reset applies.
    expect(await clientRequest(att, '/openapi.json')).toMatchObject({
      kind: 'error',
      code: 'ECONNRESET',
    });
  });
});
