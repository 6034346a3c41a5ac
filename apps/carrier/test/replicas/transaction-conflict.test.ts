import { openStore, type Store } from '@esimlab/store';
import {
  dropTestSchemas,
  newSchemaPrefix,
  requirePostgres,
  skipPostgres,
  testPostgresUrl,
} from '@esimlab/test-utils/postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { carrierMigrations } from '../../src/index.ts';
import { settings } from '../../src/persistence/collections.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';

const open: { carrier?: TestCarrier; blocker?: Store } = {};
afterEach(async () => {
  await open.carrier?.close();
  await open.blocker?.close();
  await dropTestSchemas();
});

describe.skipIf(skipPostgres)('a transaction that keeps losing to concurrent ones', () => {
  it('is a retryable 503 transaction_conflict, not a 500, and changes nothing', async () => {
    requirePostgres();
    const schema = `${newSchemaPrefix()}_att`;
    const store = (url: string, maxAttempts: number) =>
      openStore({ kind: 'postgres', url, schema, migrations: carrierMigrations, maxAttempts });
    // One attempt only, so the first conflict is final.
    open.carrier = await startTestCarrier({ store: await store(testPostgresUrl, 1) });
    open.blocker = await store(testPostgresUrl, 1);

    // Another replica's transaction holds the settings row while this one reads and changes it.
    let holding!: () => void;
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      holding = resolve;
    });
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const other = open.blocker.transaction(async (tx) => {
      const current = await tx.get(settings, 'carrier');
      if (!current) throw new Error('the carrier wrote no settings');
      await tx.update(settings, { ...current, revision: (current.revision ?? 0) + 1 });
      holding();
      await released;
    });
    await held;
    const patch = open.carrier.api('/_sim/config', {
      method: 'PATCH',
      json: { apiStyle: 'reference' },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    await other;

    const res = await patch;
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.headers.get('retry-after')).toBe('1');
    const problem = await json(res);
    expect(problem).toMatchObject({ status: 503, code: 'transaction_conflict' });
    expect(problem.detail).toContain('retry after Retry-After');
    expect((await json(await open.carrier.api('/_sim/config'))).apiStyle).toBe('idempotent');

    const retried = await open.carrier.api('/_sim/config', {
      method: 'PATCH',
      json: { apiStyle: 'reference' },
    });
    expect(retried.status).toBe(200);
    expect((await json(retried)).apiStyle).toBe('reference');
  });
});
