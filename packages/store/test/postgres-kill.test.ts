import {
  dropTestSchemas,
  newTestSchema,
  requirePostgres,
  skipPostgres,
  testPostgresUrl,
} from '@esimlab/test-utils/postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../src/index.ts';
import { crashMigrations } from './fixtures/collections.ts';
import { expectReportedCommitsKept, killAfter } from './support/kill-after.ts';

afterEach(dropTestSchemas);

describe.skipIf(skipPostgres)('PostgreSQL store under kill -9', () => {
  it('keeps every transaction that reported its commit, and no half of any other', async () => {
    requirePostgres();
    const schema = newTestSchema();
    const reported = await killAfter(['postgres', testPostgresUrl, schema], 200);
    expect(reported.length).toBeGreaterThanOrEqual(200);

    const store = await openPostgresStore({
      url: testPostgresUrl,
      schema,
      migrations: crashMigrations,
    });
    try {
      await expectReportedCommitsKept(store, reported);
    } finally {
      await store.close();
    }
  }, 20_000);
});
