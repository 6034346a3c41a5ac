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
  it('keeps every transaction that reported its commit, and no half of any other', async () => {
    const file = join(root, 'verizon.sqlite');
    const reported = await killAfter(['sqlite', file], 200);
    expect(reported.length).toBeGreaterThanOrEqual(200);

    const store = await openSqliteStore({ file, migrations: crashMigrations });
    try {
      await expectReportedCommitsKept(store, reported);
    } finally {
      await store.close();
    }
  }, 20_000);

  it('keeps every transaction that reported its commit when many commit together', async () => {
    const file = join(root, 'att.sqlite');
    const reported = await killAfter(['sqlite', file, '16'], 2_000);
    expect(reported.length).toBeGreaterThanOrEqual(2_000);

    const store = await openSqliteStore({ file, migrations: crashMigrations });
    try {
      await expectReportedCommitsKept(store, reported);
    } finally {
      await store.close();
    }
  }, 20_000);
});
