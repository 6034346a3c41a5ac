import { join } from 'node:path';
import { openSqliteStore } from '@esimlab/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carrierMigrations } from '../../src/index.ts';
import { idempotencyKeys } from '../../src/persistence/collections.ts';
import { tempDataDir } from '../launcher/launcher-support.ts';
import { activeEsim, cancel } from '../renewals/renewal-fixtures.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import { addon, slowPurchase, topup, topupCharges } from '../topups/topup-fixtures.ts';

/**
 * A kill -9 can land after a purchase was refused when its data came to be credited (its
 * charge voided, its top-up failed) but before its key stored the 409. Start-up recovery must
 * then answer the retry with the same 409, rebuilt from the failed top-up, never a 201. No
 * crash point sits in that window, so the test takes the answer off the key in the carrier's
 * SQLite file, as the kill would have left it, and restarts on it.
 */
describe('recovering a key whose purchase was refused when its data came to be credited', () => {
  const dataDir = tempDataDir();
  const file = join(dataDir.path, 'att.sqlite');
  let carrier: TestCarrier | undefined;

  beforeAll(async () => {
    carrier = await startTestCarrier({
      carrier: 'att',
      store: await openSqliteStore({ file, migrations: carrierMigrations }),
    });
  });

  afterAll(async () => {
    await carrier?.close();
    dataDir.remove();
  });

  it('replays the 409 from the failed top-up', async () => {
    const first = carrier as TestCarrier;
    const esim = await activeEsim(first, 'att-unlimited-starter');
    const boost = await addon(first, 'boost');
    const purchase = slowPurchase(first, esim.iccid, boost.id, 'refused-late');
    await purchase.claimed;
    expect((await cancel(first, esim.iccid)).status).toBe(200);
    const original = await purchase.answered;
    expect(original.status).toBe(409);
    const originalBody = await json(original);

    await first.close();
    const store = await openSqliteStore({ file, migrations: carrierMigrations });
    await store.transaction(async (tx) => {
      const keys = (await tx.find(idempotencyKeys, {})).filter((k) => k.key === 'refused-late');
      if (keys.length !== 1) throw new Error(`expected one refused-late key, found ${keys.length}`);
      const [stored] = keys;
      expect(stored?.response?.status).toBe(409);
      const { response: _lost, ...claimed } = stored as NonNullable<typeof stored>;
      await tx.update(idempotencyKeys, { ...claimed, state: 'in_progress' });
    });
    const restarted = await startTestCarrier({ carrier: 'att', store });
    carrier = restarted;

    const replay = await topup(
      restarted,
      esim.iccid,
      { planId: boost.id, paymentMethod: 'pm_card_slow' },
      'refused-late',
    );
    expect(replay.status).toBe(409);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await json(replay)).toEqual(originalBody);
    expect(await topupCharges(restarted, esim.iccid)).toMatchObject([{ status: 'voided' }]);
  });
});
