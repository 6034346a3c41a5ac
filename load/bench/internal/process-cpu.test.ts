import { existsSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  cpuSecondsOfProcessesNamed,
  processCpuSeconds,
  processesCpuSeconds,
  readMainThreadCpu,
  threadBusyShare,
  threadCpuSeconds,
} from './process-cpu.ts';

/**
 * Burns `ms` of CPU on the calling thread, counted by the process's own clock (the process's
 * other threads sit idle meanwhile): a loaded machine stretches the wall time, not the CPU.
 */
function spin(ms: number): number {
  const from = process.cpuUsage();
  let turns = 0;
  for (;;) {
    const used = process.cpuUsage(from);
    if ((used.user + used.system) / 1000 >= ms) return turns;
    turns++;
  }
}

describe.runIf(existsSync('/proc/self/stat'))('processCpuSeconds', () => {
  it('counts the CPU a live process burns, as the process itself measures it', async () => {
    const before = await processCpuSeconds(process.pid);
    const ownBefore = process.cpuUsage();
    expect(spin(200)).toBeGreaterThan(0);
    const own = process.cpuUsage(ownBefore);
    const after = await processCpuSeconds(process.pid);
    const used = (after ?? 0) - (before ?? 0);
    // /proc counts in 10 ms ticks.
    expect(used).toBeGreaterThan((own.user + own.system) / 1e6 - 0.05);
    expect(used).toBeLessThan((own.user + own.system) / 1e6 + 0.05);
  });

  it('has nothing for a process that is not there', async () => {
    expect(await processCpuSeconds(undefined)).toBeUndefined();
    expect(await processCpuSeconds(2 ** 30)).toBeUndefined();
  });

  it('sums several processes, and has nothing once one of them is gone', async () => {
    const [one, both] = [
      await processCpuSeconds(process.pid),
      await processesCpuSeconds([process.pid, process.pid]),
    ];
    expect(both).toBeGreaterThanOrEqual(2 * (one ?? 0));
    expect(await processesCpuSeconds([process.pid, 2 ** 30])).toBeUndefined();
  });

  it('finds this process among those named as it is', async () => {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const own = (await processCpuSeconds(process.pid)) ?? 0;
    expect(own).toBeGreaterThan(0);
    expect(await cpuSecondsOfProcessesNamed(command)).toBeGreaterThanOrEqual(own);
    expect(await cpuSecondsOfProcessesNamed('no-such-process-name')).toBe(0);
  });

  it("counts a thread's CPU apart from the others of its process", async () => {
    const [mainBefore, processBefore] = [
      await threadCpuSeconds(process.pid),
      await processCpuSeconds(process.pid),
    ];
    expect(spin(200)).toBeGreaterThan(0);
    const mainAfterSpin = (await threadCpuSeconds(process.pid)) ?? 0;
    // /proc counts in 10 ms ticks.
    expect(mainAfterSpin - (mainBefore ?? 0)).toBeGreaterThan(0.15);
    expect(mainAfterSpin - (mainBefore ?? 0)).toBeLessThan(0.25);

    // A worker burns 300 ms while the main thread waits for it, idle.
    const worker = new Worker(
      `const from = process.cpuUsage();
       for (;;) { const u = process.cpuUsage(from); if (u.user + u.system >= 300_000) break; }`,
      { eval: true },
    );
    await new Promise((resolve) => worker.once('exit', resolve));
    const mainAfterWorker = (await threadCpuSeconds(process.pid)) ?? 0;
    const processAfter = (await processCpuSeconds(process.pid)) ?? 0;
    expect(processAfter - (processBefore ?? 0)).toBeGreaterThan(0.45);
    expect(mainAfterWorker - mainAfterSpin).toBeLessThan(0.15);
  });

  it('has nothing for a thread that is not there', async () => {
    expect(await threadCpuSeconds(undefined)).toBeUndefined();
    expect(await threadCpuSeconds(process.pid, 2 ** 30)).toBeUndefined();
  });

  it('gives the share of the time between two readings a thread was on a core', async () => {
    const reading = (cpuSeconds: number | undefined, atMs: number) => ({ cpuSeconds, atMs });
    expect(threadBusyShare(reading(1, 0), reading(1.5, 1000))).toBe(0.5);
    expect(threadBusyShare(reading(1, 0), reading(1, 2000))).toBe(0);
    expect(threadBusyShare(reading(1, 0), undefined)).toBeUndefined();
    expect(threadBusyShare(reading(1, 0), reading(undefined, 1000))).toBeUndefined();
    expect(threadBusyShare(reading(1, 5), reading(1, 5))).toBeUndefined();

    // Live: idle, then busy (a loaded machine may keep a spinning thread off a core a while).
    const idleFrom = await readMainThreadCpu(process.pid);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const busyFrom = await readMainThreadCpu(process.pid);
    spin(300);
    const busyTo = await readMainThreadCpu(process.pid);
    expect(threadBusyShare(idleFrom, busyFrom)).toBeLessThan(0.2);
    expect(threadBusyShare(busyFrom, busyTo)).toBeGreaterThan(0.3);
    expect(threadBusyShare(busyFrom, busyTo)).toBeLessThanOrEqual(1.05);
  });
});
