#!/usr/bin/env node
// Runs a command and fails it if it outlives its time budget, so one slow package suite
// cannot eat the whole CI run. Usage: run-with-budget.mjs <seconds> <command> [args...]
import { spawn } from 'node:child_process';

const [budgetArg, command, ...args] = process.argv.slice(2);
const budgetSeconds = Number(budgetArg);
if (!Number.isInteger(budgetSeconds) || budgetSeconds <= 0 || !command) {
  console.error('usage: run-with-budget.mjs <seconds (positive integer)> <command> [args...]');
  process.exit(2);
}

const child = spawn(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
const timer = setTimeout(() => {
  console.error(
    `\n✗ ${command} ${args.join(' ')} exceeded its budget of ${budgetSeconds} s; stopping it.`,
  );
  child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  process.exitCode = 124;
}, budgetSeconds * 1000);

child.on('exit', (code, signal) => {
  clearTimeout(timer);
  if (process.exitCode === 124) process.exit(124);
  process.exit(code ?? (signal ? 1 : 0));
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
