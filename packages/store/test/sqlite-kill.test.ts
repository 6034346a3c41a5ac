import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../src/index.ts';
import { crashMigrations } from './fixtures/collections.ts';
import { expectReportedCommitsKept, killAfter } from './support/kill-after.ts';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'esimlab-kill-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('SQLite store under kill -9', () => {
  // One writer commits transaction by transaction; sixteen make the store commit them in groups.
  it.each([
    { writers: 1, commits: 200, label: 'one at a time' },
    { writers: 16, commits: 2_000, label: 'when many commit together' },
  ])(
    'keeps every transaction that reported its commit, and no half of any other ($label)',
    async ({ writers, commits }) => {
      const file = join(root, `writers-${writers}.sqlite`);
      const reported = await killAfter(['sqlite', file, String(writers)], commits);
      expect(reported.length).toBeGreaterThanOrEqual(commits);

      const store = await openSqliteStore({ file, migrations: crashMigrations });
      try {
        await expectReportedCommitsKept(store, reported);
      } finally {
        await store.close();
      }
    },
    20_000,
  );
});
