import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { faultPresetNames, faultPresets } from '@esimlab/faults';
import { openSqliteStore } from '@esimlab/store';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { carrierMigrations } from '../../src/index.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import { faults, useFaults } from './fault-fixtures.ts';

let att: TestCarrier;
beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att' });
});
afterAll(() => att.close());
beforeEach(async () => {
  await faults(att, 'DELETE');
});

const ids = (body: { rules: { id: string }[] }) => body.rules.map((r) => r.id);

describe('/_sim/faults', () => {
  it('lists no rules and a seed on a fresh carrier', async () => {
    const { status, body } = await faults(att, 'GET');
    expect(status).toBe(200);
    expect(body.rules).toEqual([]);
    expect(Number.isInteger(body.seed)).toBe(true);
  });

  it('replaces the list with POST, giving ids and counters, and sets the seed', async () => {
    const { status, body } = await faults(att, 'POST', '/_sim/faults', {
      seed: 7,
      rules: [
        { kind: 'latency', params: { ms: 1 } },
        {
          id: 'outage',
          kind: 'error',
          probability: 0.5,
          match: { method: 'get' },
          params: { status: 503 },
        },
      ],
    });
    expect(status).toBe(200);
    expect(body).toEqual({
      seed: 7,
      rules: [
        {
          id: 'f1',
          probability: 1,
          kind: 'latency',
          params: { ms: 1 },
          counters: { matched: 0, hits: 0 },
        },
        {
          id: 'outage',
          probability: 0.5,
          match: { method: 'GET' },
          kind: 'error',
          params: { status: 503 },
          counters: { matched: 0, hits: 0 },
        },
      ],
    });
    expect((await faults(att, 'GET')).body).toEqual(body);
  });

  it('appends one rule with PATCH and removes one with DELETE /_sim/faults/{id}', async () => {
    await useFaults(att, [{ kind: 'timeout', match: { path: '/nowhere' } }]);
    const added = await faults(att, 'PATCH', '/_sim/faults', {
      kind: 'reset-before',
      match: { path: '/nowhere' },
    });
    expect(added.status).toBe(200);
    expect(ids(added.body)).toEqual(['f1', 'f2']);
    const removed = await faults(att, 'DELETE', '/_sim/faults/f1');
    expect(removed.status).toBe(200);
    expect(ids(removed.body)).toEqual(['f2']);
    const missing = await faults(att, 'DELETE', '/_sim/faults/f1');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'fault_rule_not_found', status: 404 });
    expect(missing.body.detail).toContain('f2');
  });

  it('clears every rule with DELETE', async () => {
    await useFaults(att, [{ kind: 'timeout', match: { path: '/nowhere' } }]);
    const { status, body } = await faults(att, 'DELETE');
    expect(status).toBe(200);
    expect(body.rules).toEqual([]);
  });

  it('keeps counting each rule over requests', async () => {
    await useFaults(att, [
      { kind: 'latency', match: { path: '/v1/plans' }, after: 1, times: 2, params: { ms: 1 } },
    ]);
    for (let i = 0; i < 4; i++) await att.api('/v1/plans');
    const { body } = await faults(att, 'GET');
    expect(body.rules[0].counters).toEqual({ matched: 4, hits: 2 });
  });

  it('records every change in the journal', async () => {
    await useFaults(att, [{ id: 'journalled', kind: 'timeout', match: { path: '/nowhere' } }]);
    const events = (await json(await att.api('/_sim/events?type=faults.changed&limit=1000'))).data;
    expect(events.at(-1).data).toMatchObject({ action: 'replaced', ruleIds: ['journalled'] });
  });
});

describe('invalid rules', () => {
  it('refuses a bad list with invalid_fault_rule naming each rule and field, and changes nothing', async () => {
    await useFaults(att, [{ id: 'kept', kind: 'timeout', match: { path: '/nowhere' } }]);
    const { status, body } = await faults(att, 'POST', '/_sim/faults', {
      rules: [
        { kind: 'timeout' },
        { kind: 'error', params: { status: 418 } },
        { kind: 'latency', probability: 3, params: { ms: 1 } },
        { kind: 'latency', params: { min: 5 } },
        { kind: 'sunspots' },
        { kind: 'error', match: { path: 'v1' }, params: { status: 500 } },
        { kind: 'truncated', params: { durationMs: 5 } },
      ],
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'invalid_fault_rule', status: 400 });
    const fields = body.errors.map((e: { field: string }) => e.field);
    for (const field of [
      'rules[1].params.status',
      'rules[2].probability',
      'rules[3].params.max',
      'rules[4].kind',
      'rules[5].match.path',
      'rules[6].params',
    ]) {
      expect(fields).toContain(field);
    }
    expect(body.detail).toContain('rules[1].params.status');
    expect(body.detail).toContain('nothing was changed');
    expect(ids((await faults(att, 'GET')).body)).toEqual(['kept']);
  });

  it('refuses a PATCH that reuses an id, or is not a rule', async () => {
    await useFaults(att, [{ id: 'taken', kind: 'timeout', match: { path: '/nowhere' } }]);
    const duplicate = await faults(att, 'PATCH', '/_sim/faults', {
      id: 'taken',
      kind: 'reset-before',
    });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body).toMatchObject({
      code: 'invalid_fault_rule',
      errors: [{ field: 'rule.id', message: expect.stringContaining('already used') }],
    });
    const notARule = await faults(att, 'PATCH', '/_sim/faults', ['timeout']);
    expect(notARule.status).toBe(400);
    expect(notARule.body.code).toBe('invalid_fault_rule');
    expect(ids((await faults(att, 'GET')).body)).toEqual(['taken']);
  });

  it('refuses two rules with one id in a POST', async () => {
    const { status, body } = await faults(att, 'POST', '/_sim/faults', {
      rules: [
        { id: 'x', kind: 'timeout' },
        { id: 'x', kind: 'reset-before' },
      ],
    });
    expect(status).toBe(400);
    expect(body.errors).toEqual([{ field: 'rules[1].id', message: expect.any(String) }]);
  });

  it('refuses a body that is not {rules, seed?}, and a seed out of range, as invalid_request', async () => {
    for (const body of [[{ kind: 'timeout' }], { rules: [], seed: -1 }, { rules: [], extra: 1 }]) {
      const res = await faults(att, 'POST', '/_sim/faults', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('invalid_request');
    }
  });
});

describe('presets', () => {
  it.each(faultPresetNames)('applies %s in place of the current rules', async (name) => {
    await useFaults(att, [{ id: 'mine', kind: 'timeout', match: { path: '/nowhere' } }]);
    const { status, body } = await faults(att, 'POST', `/_sim/faults/presets/${name}`);
    expect(status).toBe(200);
    expect(ids(body)).toEqual(faultPresets[name].rules.map((r) => r.id));
  });

  it('appends a preset with {append: true}, once however often it is asked', async () => {
    await useFaults(att, [{ id: 'mine', kind: 'timeout', match: { path: '/nowhere' } }]);
    const outage = faultPresets['carrier-outage'].rules.map((r) => r.id);
    await faults(att, 'POST', '/_sim/faults/presets/carrier-outage', { append: true });
    const { body } = await faults(att, 'POST', '/_sim/faults/presets/carrier-outage', {
      append: true,
      seed: 3,
    });
    expect(ids(body)).toEqual(['mine', ...outage]);
    expect(body.seed).toBe(3);
  });

  it('names the presets when asked for an unknown one', async () => {
    const { status, body } = await faults(att, 'POST', '/_sim/faults/presets/solar-flare');
    expect(status).toBe(404);
    expect(body).toMatchObject({ code: 'fault_preset_not_found', presets: faultPresetNames });
    expect(body.detail).toContain('flaky-mobile');
  });

  it('carrier-outage answers every API request with 503 and Retry-After: 30', async () => {
    await faults(att, 'POST', '/_sim/faults/presets/carrier-outage');
    const res = await att.api('/v1/plans');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(await att.api('/healthz').then((r) => r.status)).toBe(200);
  });

  it('flaky-mobile delays every API request', async () => {
    await faults(att, 'POST', '/_sim/faults/presets/flaky-mobile', { seed: 1 });
    for (let i = 0; i < 10; i++)
      await att.api('/v1/coverage?lat=40.7&lon=-74').catch(() => undefined);
    const [latency] = (await faults(att, 'GET')).body.rules;
    expect(latency).toMatchObject({
      id: 'flaky-mobile-latency',
      counters: { matched: 10, hits: 10 },
    });
  });

  it('payment-gateway-slow leaves everything but purchases alone', async () => {
    await faults(att, 'POST', '/_sim/faults/presets/payment-gateway-slow');
    const started = performance.now();
    expect((await att.api('/v1/plans')).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('fault rules across restarts and resets', () => {
  it('keeps the rules and the seed when a carrier on SQLite restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esimlab-faults-'));
    const file = join(dir, 'att.sqlite');
    try {
      const first = await startTestCarrier({
        store: await openSqliteStore({ file, migrations: carrierMigrations }),
      });
      await useFaults(
        first,
        [{ id: 'slow-plans', kind: 'latency', match: { path: '/v1/plans' }, params: { ms: 1 } }],
        1234,
      );
      await faults(first, 'PATCH', '/_sim/faults', {
        kind: 'error',
        match: { path: '/v1/nothing' },
        params: { status: 500 },
      });
      await first.api('/v1/plans');
      const before = (await faults(first, 'GET')).body;
      await first.close();

      const second = await startTestCarrier({
        store: await openSqliteStore({ file, migrations: carrierMigrations }),
      });
      try {
        const after = (await faults(second, 'GET')).body;
        expect(after.seed).toBe(1234);
        expect(ids(after)).toEqual(['slow-plans', 'f1']);
        expect(after.rules.map(({ counters: _, ...rule }: { counters: unknown }) => rule)).toEqual(
          before.rules.map(({ counters: _, ...rule }: { counters: unknown }) => rule),
        );
        // Counters are not kept: they start over with the process.
        expect(after.rules[0].counters).toEqual({ matched: 0, hits: 0 });
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('drops every rule on POST /_sim/reset and keeps the seed', async () => {
    await useFaults(att, [{ kind: 'timeout', match: { path: '/nowhere' } }], 55);
    expect((await att.api('/_sim/reset', { method: 'POST' })).status).toBe(204);
    expect((await faults(att, 'GET')).body).toEqual({ seed: 55, rules: [] });
  });
});
