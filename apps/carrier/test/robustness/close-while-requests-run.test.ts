import { openMemoryStore } from '@esimlab/store';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { carrierMigrations, createCarrierApp } from '../../src/index.ts';
import { DEV_KEY } from '../support/test-carrier.ts';

describe('CarrierApp.close(waitMs)', () => {
  it('waits at most waitMs for requests in flight, then says how many still run', async () => {
    const logged: { level: number; msg: string; requests?: number }[] = [];
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => logged.push(JSON.parse(line)) },
    );
    const store = await openMemoryStore({ migrations: carrierMigrations });
    const carrier = await createCarrierApp({ carrier: 'att', store, seed: 1, logger });
    const call = (method: string, url: string, json?: unknown) => {
      const body = json === undefined ? undefined : Buffer.from(JSON.stringify(json));
      return carrier.dispatch({
        method,
        url,
        headers: {
          authorization: `Bearer ${DEV_KEY}`,
          ...(body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': String(body.length) }),
        },
        ...(body === undefined ? {} : { body }),
        signal: new AbortController().signal,
      });
    };
    const plans = JSON.parse((await call('GET', '/v1/plans')).body.toString()).data;
    const base = plans.find((p: { kind: string }) => p.kind === 'base');
    // pm_card_slow keeps the order in the gateway for 3 s.
    const order = call('POST', '/v1/esims', {
      planId: base.id,
      paymentMethod: 'pm_card_slow',
      subscriber: { name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'UTC' },
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(carrier.context.requests.running).toBe(1);

    const started = Date.now();
    await carrier.close(300);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(logged.filter((line) => line.level === 40)).toEqual([
      expect.objectContaining({
        requests: 1,
        msg: expect.stringContaining('requests still running'),
      }),
    ]);

    // The order itself carries on, and the app counts it until it ends.
    expect((await order).status).toBe(201);
    expect(carrier.context.requests.running).toBe(0);
    await store.close();
  }, 30_000);
});
