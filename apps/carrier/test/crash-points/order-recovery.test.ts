import { join } from 'node:path';
import { openSqliteStore } from '@esimlab/store';
import { afterAll, describe, expect, it } from 'vitest';
import { carrierMigrations } from '../../src/index.ts';
import { idempotencyKeys } from '../../src/persistence/collections.ts';
import { tempDataDir } from '../launcher/launcher-support.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';

/**
 * A kill -9 can land after an order committed but before its Idempotency-Key stored the
 * answer. The key names the eSIM it created, so start-up recovery answers the retry with
 * that order (confirmation code included) instead of ordering a second eSIM.
 */
describe('recovering the key of an order a crash interrupted', () => {
  const dataDir = tempDataDir();
  const file = join(dataDir.path, 'att.sqlite');
  let carrier: TestCarrier | undefined;

  afterAll(async () => {
    await carrier?.close();
    dataDir.remove();
  });

  it('answers the retry with the eSIM the first request ordered', async () => {
    carrier = await startTestCarrier({
      carrier: 'att',
      store: await openSqliteStore({ file, migrations: carrierMigrations }),
    });
    const order = {
      planId: 'att-unlimited-premium',
      paymentMethod: 'pm_card_visa',
      subscriber: { name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'America/New_York' },
    };
    const headers = { 'idempotency-key': 'order-1' };
    const first = await carrier.api('/v1/esims', { method: 'POST', json: order, headers });
    expect(first.status).toBe(201);
    const ordered = await json(first);
    expect(ordered.confirmationCode).toMatch(/^\d+$/);

    // Leave the key as the kill would have: claimed, naming its eSIM, with no stored answer.
    await carrier.close();
    const store = await openSqliteStore({ file, migrations: carrierMigrations });
    await store.transaction(async (tx) => {
      const [key] = await tx.find(idempotencyKeys, {});
      if (!key?.resource) throw new Error('the order did not name its eSIM to its key');
      const { response: _lost, ...claimed } = key;
      await tx.update(idempotencyKeys, { ...claimed, state: 'in_progress' });
    });
    carrier = await startTestCarrier({ carrier: 'att', store });

    const retry = await carrier.api('/v1/esims', { method: 'POST', json: order, headers });
    expect(retry.status).toBe(201);
    const recovered = await json(retry);
    expect(recovered.iccid).toBe(ordered.iccid);
    expect(recovered.confirmationCode).toBe(ordered.confirmationCode);
    expect(recovered.activationCode).toBe(ordered.activationCode);
    const { data } = await json(await carrier.api('/v1/esims?limit=100'));
    expect(data.map((e: { iccid: string }) => e.iccid)).toEqual([ordered.iccid]);
  });
});
