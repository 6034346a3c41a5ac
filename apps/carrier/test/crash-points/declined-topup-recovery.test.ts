import { join } from 'node:path';
import { openSqliteStore } from '@esimlab/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../src/http/idempotency.ts';
import { carrierMigrations } from '../../src/index.ts';
import { idempotencyKeys } from '../../src/persistence/collections.ts';
import { tempDataDir } from '../launcher/launcher-support.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import {
  activatedEsim,
  addon,
  type LooseJson,
  topup,
  topupCharges,
} from '../topups/topup-fixtures.ts';

/**
 * A kill -9 can land after a declined top-up was recorded (and named under its key) but
 * before the key stored its answer. Start-up recovery must then answer the retry as the live
 * request would have: the same 402 for a final decline, and a fresh attempt for a retryable
 * one, never a 201 for a payment that was refused. No crash point sits in that window, so
 * the test leaves the key as the kill would, in the carrier's SQLite file, and restarts on it.
 */
describe('recovering a key whose top-up was declined', () => {
  const dataDir = tempDataDir();
  const file = join(dataDir.path, 'att.sqlite');
  let carrier: TestCarrier | undefined;
  let iccid: string;
  let boost: LooseJson;
  let retryable: { planId: string; paymentMethod: string };

  beforeAll(async () => {
    carrier = await startTestCarrier({
      carrier: 'att',
      store: await openSqliteStore({ file, migrations: carrierMigrations }),
    });
    iccid = (await activatedEsim(carrier)).esim.iccid;
    boost = await addon(carrier, 'boost');
    retryable = { planId: boost.id, paymentMethod: 'pm_card_processingError' };
  });

  afterAll(async () => {
    await carrier?.close();
    dataDir.remove();
  });

  /**
   * Stops the carrier and leaves its file as a kill in that window would: the `declined` key
   * in progress without its answer, and the `processing` key (which the live request forgot)
   * still claimed, naming its failed top-up. Then starts a new carrier on the file.
   */
  async function crashAndRestart(processingTopupId: string): Promise<TestCarrier> {
    await carrier?.close();
    const store = await openSqliteStore({ file, migrations: carrierMigrations });
    await store.transaction(async (tx) => {
      const [declined, ...others] = await tx.find(idempotencyKeys, {});
      if (!declined || others.length > 0) throw new Error('expected only the declined key');
      const { response: _lost, ...claimed } = declined;
      await tx.update(idempotencyKeys, { ...claimed, state: 'in_progress' });
      await tx.insert(idempotencyKeys, {
        ...claimed,
        state: 'in_progress',
        id: declined.id.replace(/ declined$/, ' processing'),
        key: 'processing',
        fingerprint: fingerprintOf(retryable),
        resource: { kind: 'topup', id: processingTopupId },
      });
    });
    carrier = await startTestCarrier({ carrier: 'att', store });
    return carrier;
  }

  it('replays the 402 of a final decline, and lets a retryable decline run again', async () => {
    const first = carrier as TestCarrier;
    const declined = { planId: boost.id, paymentMethod: 'pm_card_chargeDeclined' };
    const original = await topup(first, iccid, declined, 'declined');
    expect(original.status).toBe(402);
    const originalBody = await json(original);
    expect(originalBody.code).toBe('card_declined');
    const busy = await topup(first, iccid, retryable, 'processing');
    expect(busy.status).toBe(402);
    const busyBody = await json(busy);
    expect(busyBody.code).toBe('processing_error');

    const restarted = await crashAndRestart(busyBody.topupId);

    const replay = await topup(restarted, iccid, declined, 'declined');
    expect(replay.status).toBe(402);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await json(replay)).toEqual(originalBody);

    // The live request forgot this key (Retry-After): so must recovery, and the retry runs again.
    const again = await topup(restarted, iccid, retryable, 'processing');
    expect(again.status).toBe(402);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(again.headers.get('retry-after')).not.toBeNull();
    const againBody = await json(again);
    expect(againBody.code).toBe('processing_error');
    expect(againBody.topupId).not.toBe(busyBody.topupId);

    expect(await topupCharges(restarted, iccid)).toEqual([]);
  });
});
