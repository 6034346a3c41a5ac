import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { processCpuSeconds } from './process-cpu.ts';

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
});
