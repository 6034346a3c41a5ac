import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

// Burns 300 ms of the process's CPU, however long a loaded machine stretches it.
const burn300 =
  'const from = process.cpuUsage(); for (;;) { const u = process.cpuUsage(from); if (u.user + u.system >= 300000) break; }';

const childSource = `
const { Worker } = require('node:worker_threads');
require('node:readline').createInterface({ input: process.stdin }).on('line', (command) => {
  const done = () => process.stdout.write(command + '\\n');
  if (command === 'burn') { new Function(${JSON.stringify(burn300)})(); done(); }
  else if (command === 'burn on a worker') new Worker(${JSON.stringify(burn300)}, { eval: true }).once('exit', done);
  else if (command === 'idle') setTimeout(done, 300);
  else done();
});
`;

/** What a burning child is told to do; each is answered once done. */
export type BurnCommand = 'burn' | 'burn on a worker' | 'idle';

/**
 * For tests: a Node child process that, told to, burns 300 ms of CPU on its main thread or on a
 * worker thread, or sits idle for 300 ms. Its threads are its own, whichever thread or process
 * the test runs on, so what `/proc` says of them is what the test made them do.
 */
export async function startBurningChild(): Promise<{
  readonly pid: number;
  readonly ask: (command: BurnCommand) => Promise<void>;
  readonly stop: () => void;
}> {
  const child = spawn(process.execPath, ['-e', childSource], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const answers: (() => void)[] = [];
  createInterface({ input: child.stdout }).on('line', () => answers.shift()?.());
  const send = (command: string) =>
    new Promise<void>((resolve) => {
      answers.push(resolve);
      child.stdin.write(`${command}\n`);
    });
  await send('ready');
  return { pid: child.pid as number, ask: send, stop: () => child.kill() };
}
