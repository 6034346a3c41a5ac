import { DAY_MS, HOUR_MS } from '@esimlab/domain';
import { MemoryDatabase, openMemoryStore } from '@esimlab/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carrierMigrations } from '../../src/index.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';

let att: TestCarrier;
beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att' });
});
afterAll(() => att.close());

const readClock = async (carrier: TestCarrier) => json(await carrier.api('/_sim/clock'));
const advance = (carrier: TestCarrier, body: unknown) =>
  carrier.api('/_sim/clock/advance', { method: 'POST', json: body });

describe('GET /_sim/clock', () => {
  it('reports wall time plus the offset, in ISO 8601 UTC', async () => {
    const clock = await readClock(att);
    expect(clock.now).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Math.abs(Date.parse(clock.now) - clock.offsetMs - Date.now())).toBeLessThan(5_000);
  });
});

describe('POST /_sim/clock/advance', () => {
  it('moves the clock forward by an ISO 8601 duration', async () => {
    const before = await readClock(att);
    const res = await advance(att, { by: 'P1DT2H' });
    expect(res.status).toBe(200);
    const after = await json(res);
    expect(after.offsetMs - before.offsetMs).toBe(DAY_MS + 2 * HOUR_MS);
    expect(Date.parse(after.now) - Date.parse(before.now)).toBeGreaterThanOrEqual(
      DAY_MS + 2 * HOUR_MS,
    );
    expect((await readClock(att)).offsetMs).toBe(after.offsetMs);
  });

  it('accepts weeks, fractional seconds and a plain millisecond count', async () => {
    const before = (await readClock(att)).offsetMs;
    expect((await json(await advance(att, { by: 'P2W' }))).offsetMs).toBe(before + 14 * DAY_MS);
    expect((await json(await advance(att, { by: 'PT1.5S' }))).offsetMs).toBe(
      before + 14 * DAY_MS + 1_500,
    );
    expect((await json(await advance(att, { ms: 500 }))).offsetMs).toBe(
      before + 14 * DAY_MS + 2_000,
    );
  });

  it.each([
    ['a negative duration', { by: '-P1D' }],
    ['a zero duration', { by: 'PT0S' }],
    ['years', { by: 'P1Y' }],
    ['months', { by: 'P1M' }],
    ['a bare P', { by: 'P' }],
    ['a dangling T', { by: 'P1DT' }],
    ['lowercase or prose', { by: '1 day' }],
    ['more than ten years', { by: 'P3661D' }],
    ['a number instead of a string', { by: 86_400_000 }],
    ['both by and ms', { by: 'P1D', ms: 1 }],
    ['neither by nor ms', {}],
    ['a negative ms', { ms: -1 }],
  ])(
    'refuses %s with 400 naming `by` and an example, and leaves the clock alone',
    async (_what, body) => {
      const before = (await readClock(att)).offsetMs;
      const res = await advance(att, body);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const problem = await json(res);
      expect(problem.code).toBe('invalid_request');
      if (!('ms' in body) || 'by' in body) {
        expect(problem.detail).toMatch(/body\.by/);
        expect(problem.detail).toMatch(/P1D/);
      }
      expect((await readClock(att)).offsetMs).toBe(before);
    },
  );

  it('keeps the offset across a restart', async () => {
    const database = new MemoryDatabase();
    const open = () => openMemoryStore({ migrations: carrierMigrations, database });
    const first = await startTestCarrier({ store: await open() });
    await advance(first, { by: 'P3D' });
    await first.close();
    const second = await startTestCarrier({ store: await open() });
    try {
      expect((await readClock(second)).offsetMs).toBe(3 * DAY_MS);
    } finally {
      await second.close();
    }
  });
});
