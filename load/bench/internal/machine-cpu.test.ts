import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { describe, expect, it } from 'vitest';
import { busyShare, parseProcStat, readMachineCpu } from './machine-cpu.ts';

describe('parseProcStat', () => {
  it('counts every tick but idle and iowait as busy, guest time only once', () => {
    const text = 'cpu  100 5 20 800 50 1 2 3 40 0\ncpu0 50 2 10 400 25 0 1 1 20 0\n';
    expect(parseProcStat(text)).toEqual({ busy: 131, total: 981 });
  });

  it('has nothing for text without the all-cores line', () => {
    expect(parseProcStat('cpu0 1 2 3 4 5\n')).toBeUndefined();
  });
});

describe('busyShare', () => {
  it('is the busy share of the ticks between two readings', () => {
    expect(busyShare({ busy: 100, total: 1000 }, { busy: 250, total: 1200 })).toBe(0.75);
    expect(busyShare(undefined, { busy: 1, total: 2 })).toBeUndefined();
    expect(busyShare({ busy: 1, total: 2 }, { busy: 1, total: 2 })).toBeUndefined();
  });
});

describe.runIf(existsSync('/proc/stat'))('readMachineCpu', () => {
  it('sees this process spinning as busy time', async () => {
    const before = await readMachineCpu();
    const until = performance.now() + 300;
    let spin = 0;
    while (performance.now() < until) spin++;
    const share = busyShare(before, await readMachineCpu());
    expect(spin).toBeGreaterThan(0);
    // One core of however many at least, less a little for the ticks' rounding.
    expect(share).toBeGreaterThan(0.9 / cpus().length);
  });
});
