import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Store } from '../../src/index.ts';
import { journal, tallies } from '../fixtures/collections.ts';

const packageDir = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const child = join(packageDir, 'test', 'fixtures', 'commit-until-killed.ts');

/**
 * Runs the committing child (`commit-until-killed.ts` with `args`) until it has reported
 * `commits` commits, then SIGKILLs it; returns the commits it reported.
 */
export async function killAfter(args: readonly string[], commits: number): Promise<number[]> {
  const process = spawn(globalThis.process.execPath, ['--import', 'tsx', child, ...args], {
    cwd: packageDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  process.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => {
    process.on('exit', (_code, signal) => resolve(signal));
  });
  const reported: number[] = [];
  for await (const line of createInterface({ input: process.stdout })) {
    const match = /^committed (\d+)$/.exec(line);
    if (match) reported.push(Number(match[1]));
    if (reported.length === commits) process.kill('SIGKILL');
  }
  const signal = await exited;
  if (signal !== 'SIGKILL') throw new Error(`the child exited before it was killed:\n${stderr}`);
  return reported;
}

/** Every reported commit survived, whole, and nothing but whole commits did. */
export async function expectReportedCommitsKept(store: Store, reported: number[]): Promise<void> {
  const { kept, tally } = await store.transaction(async (tx) => ({
    kept: (await tx.find(journal, {}, { orderBy: 'seq' })).map((entry) => entry.seq),
    tally: await tx.get(tallies, 'commits'),
  }));
  expect(kept.slice(0, reported.length)).toEqual(reported);
  // Both writes of each transaction, or neither: the tally matches the journal.
  expect(tally?.value).toBe(kept.length);
  // Commits are numbered in order, so anything kept beyond what was reported is contiguous.
  expect(kept).toEqual(kept.map((_, index) => index));
}
