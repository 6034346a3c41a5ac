import { request as httpRequest } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningCarriers, startCarriers } from '../../src/index.ts';
import {
  api,
  DEV_KEY,
  health,
  isRunning,
  json,
  logCollector,
  subscriber,
  tempDataDir,
} from './launcher-support.ts';

describe('stop()', () => {
  let running: RunningCarriers<'att'> | undefined;
  afterAll(() => running?.stop());

  it('lets an in-flight request finish, then ends the processes and frees the port', async () => {
    const logs = logCollector();
    running = await startCarriers({
      carriers: ['att'],
      ports: { att: 0 },
      store: 'memory',
      onLog: logs.onLog,
    });
    const url = running.urls.att;
    const pid = running.pids().att;
    if (pid === undefined) throw new Error('att is not running');
    const plans = (await json(await api(`${url}/v1/plans`))).data;
    const plan = plans.find((p: { kind: string }) => p.kind === 'base');

    // pm_card_slow keeps the order in the gateway for 3 s.
    const slowOrder = api(`${url}/v1/esims`, {
      method: 'POST',
      json: { planId: plan.id, paymentMethod: 'pm_card_slow', subscriber },
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const started = Date.now();
    const stopped = running.stop();

    const order = await slowOrder;
    expect(order.status).toBe(201);
    expect((await json(order)).planId).toBe(plan.id);
    await stopped;
    expect(Date.now() - started).toBeGreaterThan(1500);
    expect(isRunning(pid)).toBe(false);
    expect(await health(url)).toBeUndefined();
    expect(logs.text()).toContain('"msg":"draining"');
    expect(logs.text()).toContain('"msg":"stopped"');
    expect(logs.text()).not.toContain('restarting');
    // The start may take up to its own limit (30 s) on a busy machine.
  }, 60_000);
});

describe('stop() with a request whose client hung up', () => {
  const dataDir = tempDataDir();
  let running: RunningCarriers<'att'> | undefined;
  afterAll(async () => {
    await running?.stop();
    dataDir.remove();
  });

  it('finishes its work before closing the store, and logs no error', async () => {
    const logs = logCollector();
    const start = () =>
      startCarriers({
        carriers: ['att'],
        ports: { att: 0 },
        store: 'sqlite',
        dataDir: dataDir.path,
        onLog: logs.onLog,
      });
    running = await start();
    const url = running.urls.att;
    const plans = (await json(await api(`${url}/v1/plans`))).data;
    const plan = plans.find((p: { kind: string }) => p.kind === 'base');
    const order = {
      method: 'POST',
      headers: { 'idempotency-key': 'drain-hung-up' },
      json: { planId: plan.id, paymentMethod: 'pm_card_slow', subscriber },
    };

    // The client destroys its socket after 1 s, while pm_card_slow holds the order in the
    // gateway for 3 s; the carrier's handler carries on without anyone to answer.
    const hungUp = await new Promise<string>((resolve) => {
      const body = JSON.stringify(order.json);
      const request = httpRequest(`${url}/v1/esims`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${DEV_KEY}`,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          ...order.headers,
        },
      });
      request.on('response', () => resolve('answered'));
      request.on('error', () => resolve('hung up'));
      request.end(body);
      setTimeout(() => request.destroy(), 1000);
    });
    expect(hungUp).toBe('hung up');
    const stopping = Date.now();
    await running.stop();
    // The stop waited for the handler, whose socket was long gone.
    expect(Date.now() - stopping).toBeGreaterThan(1000);

    const text = logs.text();
    expect(text).toContain('"msg":"stopped"');
    expect(text).not.toContain('"level":50');
    expect(text).not.toContain('StoreClosedError');

    // The order was completed during the drain: its key replays it.
    running = await start();
    const retried = await api(`${running.urls.att}/v1/esims`, order);
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect((await json(retried)).planId).toBe(plan.id);
  }, 90_000);
});
