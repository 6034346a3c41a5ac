import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeMainThread,
  type MainThreadTime,
  mainThreadShares,
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

// A child process that, told to, burns 300 ms of CPU on its main thread or on a worker
// thread, or sits idle for 300 ms; it answers each command when done. The readings are of
// its main thread, whichever thread or process the test itself runs on.
const child = `
const { Worker } = require('node:worker_threads');
const burn = 'const from = process.cpuUsage(); for (;;) { const u = process.cpuUsage(from); if (u.user + u.system >= 300000) break; }';
require('node:readline').createInterface({ input: process.stdin }).on('line', (command) => {
  const done = () => process.stdout.write(command + '\\n');
  if (command === 'burn') { new Function(burn)(); done(); }
  else if (command === 'burn on a worker') new Worker(burn, { eval: true }).once('exit', done);
  else if (command === 'idle') setTimeout(done, 300);
  else done();
});
`;

describe.runIf(existsSync('/proc/self/task'))('readMainThreadTime', () => {
  let pid: number;
  let ask: (command: string) => Promise<void>;
  let stop: () => void;

  beforeAll(async () => {
    const spawned = spawn(process.execPath, ['-e', child], { stdio: ['pipe', 'pipe', 'inherit'] });
    const answers: (() => void)[] = [];
    createInterface({ input: spawned.stdout }).on('line', () => answers.shift()?.());
    ask = (command) =>
      new Promise((resolve) => {
        answers.push(resolve);
        spawned.stdin.write(`${command}\n`);
      });
    stop = () => spawned.kill();
    pid = spawned.pid as number;
    await ask('ready');
  });
  afterAll(() => stop());

  const read = async () => (await readMainThreadTime(pid)) as MainThreadTime;

  it("counts the main thread's time on a core, apart from its worker threads'", async () => {
    const before = await read();
    await ask('burn');
    const afterBurn = await read();
    await ask('burn on a worker');
    const afterWorker = await read();
    // 300 ms of the process's CPU, nearly all on the main thread.
    expect(afterBurn.onCoreMs - before.onCoreMs).toBeGreaterThan(270);
    expect(afterBurn.onCoreMs - before.onCoreMs).toBeLessThan(360);
    // Starting the worker costs the main thread a little; its 300 ms are not counted.
    expect(afterWorker.onCoreMs - afterBurn.onCoreMs).toBeLessThan(100);
  });

  it('gives a low busy share while idle, and never more time than passed', async () => {
    const before = await read();
    await ask('idle');
    const afterIdle = await read();
    await ask('burn');
    const afterBurn = await read();
    expect(mainThreadShares(before, afterIdle)?.busyShare).toBeLessThan(0.2);
    // However long a loaded machine stretched the burn, its CPU is 300 ms.
    const burning = mainThreadShares(afterIdle, afterBurn) as {
      busyShare: number;
      waitingShare: number;
    };
    expect(burning.busyShare * (afterBurn.atMs - afterIdle.atMs)).toBeGreaterThan(270);
    expect(burning.busyShare + burning.waitingShare).toBeLessThanOrEqual(1.05);
  });

  it('has nothing for a process that is not there', async () => {
    expect(await readMainThreadTime(undefined)).toBeUndefined();
    expect(await readMainThreadTime(2 ** 30)).toBeUndefined();
  });
});
