import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RechargeMeasurement } from '../workloads/recharge-load.ts';
import { carrierWindow } from './carrier-window.ts';

const run = (ok: number): RechargeMeasurement => ({
  name: 'recharge',
  rps: 100,
  p50Ms: 2,
  p99Ms: 9,
  requests: ok,
  durationMs: 1000,
  topupsPerSecond: ok,
  outcomes: { ok, failed: 0, unknown: 0 },
  dropped: 0,
  retries: 0,
  audit: { status: 'audited', ok: true, counts: {}, violations: [] },
});

/** Burns `ms` of this process's CPU. */
function burn(ms: number): void {
  const from = process.cpuUsage();
  for (;;) {
    const used = process.cpuUsage(from);
    if ((used.user + used.system) / 1000 >= ms) return;
  }
}

describe.runIf(existsSync('/proc/self/task'))('carrierWindow', () => {
  it("adds the process's CPU per top-up and its main thread's shares over the window", async () => {
    const window = carrierWindow(() => process.pid);
    await window.onWindowStart();
    burn(200);
    await window.onWindowEnd();
    const measured = window.measured(run(10));
    // 200 ms of CPU over 10 top-ups; /proc counts in 10 ms ticks.
    expect(measured.carrierCpuMsPerTopup).toBeGreaterThan(18);
    expect(measured.carrierCpuMsPerTopup).toBeLessThan(26);
    expect(measured.carrierMainThread?.busyShare).toBeGreaterThanOrEqual(0);
    expect(measured.carrierMainThread?.busyShare).toBeLessThanOrEqual(1.05);
    expect(measured.outcomes.ok).toBe(10);
  });

  it('leaves out what it could not read, and a CPU per top-up without top-ups', async () => {
    const gone = carrierWindow(() => undefined);
    await gone.onWindowStart();
    await gone.onWindowEnd();
    expect(gone.measured(run(10))).toMatchObject({
      carrierCpuMsPerTopup: undefined,
      carrierMainThread: undefined,
    });
    const unread = carrierWindow(() => process.pid);
    expect(unread.measured(run(10)).carrierCpuMsPerTopup).toBeUndefined();
    const none = carrierWindow(() => process.pid);
    await none.onWindowStart();
    await none.onWindowEnd();
    expect(none.measured(run(0)).carrierCpuMsPerTopup).toBeUndefined();
  });
});
