import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  cpuSecondsOfProcessesNamed,
  processCpuSeconds,
  processesCpuSeconds,
} from './process-cpu.ts';

describe.runIf(existsSync('/proc/self/stat'))('processCpuSeconds', () => {
  it('counts the CPU a live process burns, as the process itself measures it', async () => {
    const before = await processCpuSeconds(process.pid);
    const ownBefore = process.cpuUsage();
    const until = performance.now() + 200;
    let spin = 0;
    while (performance.now() < until) spin++;
    const own = process.cpuUsage(ownBefore);
    const after = await processCpuSeconds(process.pid);
    expect(spin).toBeGreaterThan(0);
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
});
