import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../src/index.ts';
import { crashMigrations, journal, tallies } from './fixtures/collections.ts';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const child = join(packageDir, 'test', 'fixtures', 'commit-until-killed.ts');

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'esimlab-kill-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Runs the committing child until it has reported `commits` commits, then SIGKILLs it. */
async function killAfter(file: string, commits: number): Promise<number[]> {
  const process = spawn(globalThis.process.execPath, ['--import', 'tsx', child, file], {
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

describe('SQLite store under kill -9', () => {
  it('keeps every transaction that reported its commit, and no half of any other', async () => {
    const file = join(root, 'verizon.sqlite');
    const reported = await killAfter(file, 200);
    expect(reported.length).toBeGreaterThanOrEqual(200);

    const store = await openSqliteStore({ file, migrations: crashMigrations });
    try {
      const { kept, tally } = await store.transaction(async (tx) => ({
        kept: (await tx.find(journal, {}, { orderBy: 'seq' })).map((entry) => entry.seq),
        tally: await tx.get(tallies, 'commits'),
      }));
      expect(kept.slice(0, reported.length)).toEqual(reported);
      // Both writes of each transaction, or neither: the tally matches the journal.
      expect(tally?.value).toBe(kept.length);
      // Commits are numbered in order, so anything kept beyond what was reported is contiguous.
      expect(kept).toEqual(kept.map((_, index) => index));
    } finally {
      await store.close();
    }
  }, 20_000);
});
