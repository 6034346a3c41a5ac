import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RechargeMeasurement } from '../workloads/recharge-load.ts';
import { startBurningChild } from './burning-child.ts';
import { watchCarrierWindow } from './carrier-window.ts';
import type { MainThreadShares } from './main-thread-time.ts';

const run = (ok: number): RechargeMeasurement => ({
  name: 'recharge',
  rps: 100,
  p50Ms: 2,
  p99Ms: 9,
  requests: ok,
  durationMs: 1000,
  replay: false,
  topupsPerSecond: ok,
  outcomes: { ok, failed: 0, unknown: 0 },
  dropped: 0,
  retries: 0,
  audit: { status: 'audited', ok: true, counts: {}, violations: [] },
});

describe.runIf(existsSync('/proc/self/task'))('watchCarrierWindow', () => {
  let child: Awaited<ReturnType<typeof startBurningChild>>;
  beforeAll(async () => {
    child = await startBurningChild();
  });
  afterAll(() => child.stop());

  it("adds the process's CPU per top-up and its main thread's shares over the window", async () => {
    const window = watchCarrierWindow(() => child.pid);
    await window.onWindowStart();
    await child.ask('burn');
    await window.onWindowEnd();
    const measured = window.measured(run(10));
    // 300 ms of CPU over 10 top-ups; /proc/<pid>/stat counts in 10 ms ticks.
    expect(measured.carrierCpuMsPerTopup).toBeGreaterThan(27);
    expect(measured.carrierCpuMsPerTopup).toBeLessThan(36);
    const shares = measured.carrierMainThread as MainThreadShares;
    // On a core or waiting for one for most of the window, whatever else the machine runs.
    expect(shares.busyShare + shares.waitingShare).toBeGreaterThan(0.5);
    expect(shares.busyShare).toBeGreaterThan(0);
    expect(measured.outcomes.ok).toBe(10);
  });

  it('has no figures it could not read, none without top-ups, none across a restart', async () => {
    const gone = watchCarrierWindow(() => undefined);
    await gone.onWindowStart();
    await gone.onWindowEnd();
    expect(gone.measured(run(10))).toMatchObject({
      carrierCpuMsPerTopup: undefined,
      carrierMainThread: undefined,
    });
    const unread = watchCarrierWindow(() => child.pid);
    expect(unread.measured(run(10)).carrierCpuMsPerTopup).toBeUndefined();
    const none = watchCarrierWindow(() => child.pid);
    await none.onWindowStart();
    await none.onWindowEnd();
    expect(none.measured(run(0)).carrierCpuMsPerTopup).toBeUndefined();
    // The supervisor restarted the carrier: another process by the end of the window.
    let pid = child.pid;
    const restarted = watchCarrierWindow(() => pid);
    await restarted.onWindowStart();
    pid = process.pid;
    await restarted.onWindowEnd();
    expect(restarted.measured(run(10))).toMatchObject({
      carrierCpuMsPerTopup: undefined,
      carrierMainThread: undefined,
    });
  });
});
