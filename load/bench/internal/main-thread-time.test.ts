import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBurningChild } from './burning-child.ts';
import {
  describeMainThread,
  type MainThreadShares,
  type MainThreadTime,
  mainThreadShares,
  parseSchedstat,
  readMainThreadTime,
} from './main-thread-time.ts';

const reading = (pid: number, onCoreMs: number, waitingMs: number, atMs: number) => ({
  pid,
  onCoreMs,
  waitingMs,
  atMs,
});

describe('mainThreadShares', () => {
  it('gives the shares of the time between two readings spent on a core and waiting for one', () => {
    expect(mainThreadShares(reading(7, 100, 10, 0), reading(7, 600, 60, 1000))).toEqual({
      busyShare: 0.5,
      waitingShare: 0.05,
    });
  });

  it('has nothing without two readings of one process some time apart', () => {
    expect(mainThreadShares(reading(7, 0, 0, 0), undefined)).toBeUndefined();
    expect(mainThreadShares(undefined, reading(7, 0, 0, 0))).toBeUndefined();
    // The carrier restarted between them: another process.
    expect(mainThreadShares(reading(7, 0, 0, 0), reading(8, 10, 0, 100))).toBeUndefined();
    expect(mainThreadShares(reading(7, 0, 0, 5), reading(7, 0, 0, 5))).toBeUndefined();
  });

  it('reads as whole percents', () => {
    expect(describeMainThread({ busyShare: 0.964, waitingShare: 0.041 })).toBe(
      'main thread 96 % busy, 4 % waiting for a core',
    );
  });
});

describe('parseSchedstat', () => {
  it('reads the time on a core and waiting for one, in milliseconds', () => {
    expect(parseSchedstat('123000000 45000000 88\n')).toEqual({ onCoreMs: 123, waitingMs: 45 });
  });

  it('has nothing where the kernel keeps no scheduler statistics, or for what it cannot read', () => {
    expect(parseSchedstat('0 0 0\n')).toBeUndefined();
    expect(parseSchedstat('')).toBeUndefined();
    expect(parseSchedstat('123000000\n')).toBeUndefined();
    expect(parseSchedstat('abc 1 2')).toBeUndefined();
  });
});

describe.runIf(existsSync('/proc/self/task'))('readMainThreadTime', () => {
  let child: Awaited<ReturnType<typeof startBurningChild>>;
  beforeAll(async () => {
    child = await startBurningChild();
  });
  afterAll(() => child.stop());

  const read = () => readMainThreadTime(child.pid) as MainThreadTime;

  it("counts the main thread's time on a core, apart from its worker threads'", async () => {
    const before = read();
    await child.ask('burn');
    const afterBurn = read();
    await child.ask('burn on a worker');
    const afterWorker = read();
    // 300 ms of the process's CPU, nearly all on the main thread.
    expect(afterBurn.onCoreMs - before.onCoreMs).toBeGreaterThan(270);
    expect(afterBurn.onCoreMs - before.onCoreMs).toBeLessThan(360);
    // Starting the worker costs the main thread a little; its 300 ms are not counted.
    expect(afterWorker.onCoreMs - afterBurn.onCoreMs).toBeLessThan(100);
  });

  it('gives a low busy share while idle, and never more time than passed', async () => {
    const before = read();
    await child.ask('idle');
    const afterIdle = read();
    await child.ask('burn');
    const afterBurn = read();
    expect(mainThreadShares(before, afterIdle)?.busyShare).toBeLessThan(0.2);
    // However long a loaded machine stretched the burn, its CPU is 300 ms.
    const burning = mainThreadShares(afterIdle, afterBurn) as MainThreadShares;
    expect(burning.busyShare * (afterBurn.atMs - afterIdle.atMs)).toBeGreaterThan(270);
    expect(burning.busyShare + burning.waitingShare).toBeLessThanOrEqual(1.05);
  });

  it('has nothing for a process that is not there', () => {
    expect(readMainThreadTime(undefined)).toBeUndefined();
    expect(readMainThreadTime(2 ** 30)).toBeUndefined();
  });
});
