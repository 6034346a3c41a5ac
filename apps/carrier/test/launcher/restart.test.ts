import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCarriers, startCarriers } from '../../src/index.ts';
import {
  api,
  health,
  isRunning,
  json,
  logCollector,
  subscriber,
  tempDataDir,
  waitFor,
} from './launcher-support.ts';

const DAY_MS = 86_400_000;

describe('a carrier that is killed', () => {
  const dataDir = tempDataDir();
  const logs = logCollector();
  let running: RunningCarriers<'verizon'>;
  let url: string;

  beforeAll(async () => {
    running = await startCarriers({
      carriers: ['verizon'],
      ports: { verizon: 0 },
      store: 'sqlite',
      dataDir: dataDir.path,
      onLog: logs.onLog,
    });
    url = running.urls.verizon;
  });

  afterAll(async () => {
    await running?.stop();
    dataDir.remove();
  });

  /** kill -9 the current process and wait until the supervisor has another one healthy on `url`. */
  async function killAndAwaitRestart(): Promise<{ before: number; after: number }> {
    const before = running.pids().verizon;
    if (before === undefined) throw new Error('verizon is not running');
    const comebacks = () => logs.lines.filter((l) => l.includes('verizon is back on')).length;
    const seen = comebacks();
    process.kill(before, 'SIGKILL');
    const after = await waitFor(
      'verizon to come back',
      async () => {
        const pid = running.pids().verizon;
        if (pid === undefined || pid === before || comebacks() === seen) return undefined;
        return (await health(url)) ? pid : undefined;
      },
      20_000,
    );
    return { before, after };
  }

  it('is restarted on the same URL with its SQLite state', async () => {
    const advanced = await fetch(`${url}/_sim/clock/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ by: 'P1D' }),
    });
    expect(advanced.status).toBe(200);
    const plans = (await json(await api(`${url}/v1/plans`))).data;
    const plan = plans.find((p: { kind: string }) => p.kind === 'base');
    const ordered = await api(`${url}/v1/esims`, {
      method: 'POST',
      json: { planId: plan.id, paymentMethod: 'pm_card_visa', subscriber },
    });
    expect(ordered.status).toBe(201);
    const { iccid } = await json(ordered);

    const { before, after } = await killAndAwaitRestart();
    expect(isRunning(before)).toBe(false);
    expect(after).not.toBe(before);

    expect(await health(url)).toEqual({ status: 'ok', carrier: 'verizon' });
    const clock = await json(await fetch(`${url}/_sim/clock`));
    expect(clock.offsetMs).toBeGreaterThanOrEqual(DAY_MS);
    const esim = await api(`${url}/v1/esims/${iccid}`);
    expect(esim.status).toBe(200);
    expect((await json(esim)).iccid).toBe(iccid);

    expect(logs.text()).toContain(
      '[supervisor] verizon exited (signal SIGKILL); restarting in 100 ms',
    );
    expect(logs.text()).toContain(`[supervisor] verizon is back on ${url}`);
  });

  it('backs off when it keeps dying', async () => {
    await killAndAwaitRestart();
    expect(logs.text()).toContain(
      '[supervisor] verizon exited (signal SIGKILL); restarting in 200 ms',
    );
  });
});
