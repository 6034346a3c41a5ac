import { openPostgresStore, type Store } from '@esimlab/store';
import {
  dropTestSchemas,
  newTestSchema,
  requirePostgres,
  skipPostgres,
  testPostgresUrl,
} from '@esimlab/test-utils/postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { resumeInterruptedCharges } from '../../src/features/saga/payment-saga.ts';
import { carrierMigrations } from '../../src/index.ts';
import { charges } from '../../src/persistence/collections.ts';
import {
  activeEsim,
  advanceTo,
  chargesFor,
  expectCleanAudit,
} from '../renewals/renewal-fixtures.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import {
  activatedEsim,
  addon,
  auditOf,
  remainingBytes,
  sim,
  topup,
  topupCharges,
} from '../topups/topup-fixtures.ts';

let carrier: TestCarrier | undefined;
afterEach(async () => {
  await carrier?.close();
  carrier = undefined;
  await dropTestSchemas();
});

/**
 * The statuses of the eSIM's charges for `kind` as each of the carrier's transactions left
 * them committed, one list per transaction, read in a transaction of their own right after it.
 */
function watchCommittedCharges(store: Store, iccid: string, kind = 'topup'): string[][] {
  const transaction = store.transaction.bind(store);
  const seen: string[][] = [];
  let reading = false;
  const watched: Store['transaction'] = async (work) => {
    const result = await transaction(work);
    if (!reading) {
      reading = true;
      try {
        const found = await transaction((tx) => tx.find(charges, { iccid }));
        seen.push(found.filter((c) => c.purpose.kind === kind).map((c) => c.status));
      } finally {
        reading = false;
      }
    }
    return result;
  };
  Object.assign(store, { transaction: watched });
  return seen;
}

async function carrierWithEsim(name: 'att' | 'tmobile' | 'verizon', store?: Store) {
  const t = await startTestCarrier({ carrier: name, ...(store ? { store } : {}) });
  carrier = t;
  const { iccid } = (await activatedEsim(t)).esim;
  const boost = await addon(t, 'boost');
  return { t, iccid, body: { planId: boost.id, paymentMethod: 'pm_card_visa' } };
}

describe("a purchase's authorization, fulfilment and capture", () => {
  it.each([
    ['att', 'idempotent', 'buy-at-once'],
    ['tmobile', 'reference', undefined],
  ] as const)(
    'commit together on %s (%s style): no committed state shows the charge only authorized',
    async (name, _style, key) => {
      const { t, iccid, body } = await carrierWithEsim(name);
      const seen = watchCommittedCharges(t.carrier.context.store, iccid);

      const res = await topup(t, iccid, body, key);
      expect(res.status).toBe(201);

      expect(seen.length).toBeGreaterThan(0);
      expect(seen.flat()).not.toContain('authorized');
      expect(seen.at(-1)).toEqual(['captured']);
      const created = await json(res);
      const events = await json(await sim(t, `/_sim/events?iccid=${iccid}&limit=100`));
      expect(
        events.data
          .filter((e: { data: { chargeId?: string } }) => e.data.chargeId === created.chargeId)
          .map((e: { type: string }) => e.type),
      ).toEqual(['charge.authorized', 'charge.captured']);
      expect((await auditOf(t)).ok).toBe(true);
    },
  );

  it.each(['after-authorize', 'after-credit'])(
    'commit one by one when the crash point %s is armed, leaving the state it names for recovery',
    async (point) => {
      const { t, iccid, body } = await carrierWithEsim('att');
      expect((await sim(t, '/_sim/crash-points', { method: 'POST', json: { point } })).status).toBe(
        200,
      );
      const seen = watchCommittedCharges(t.carrier.context.store, iccid);

      // The test carrier's crash hook throws where a real carrier would exit.
      expect((await topup(t, iccid, body, `crash-${point}`)).status).toBe(500);
      expect(seen.at(-1)).toEqual(['authorized']);
      const remainingAfterCrash = await remainingBytes(t, iccid);

      expect(await resumeInterruptedCharges(t.carrier.context)).toBe(1);
      expect(await topupCharges(t, iccid)).toMatchObject([{ status: 'captured' }]);
      const remaining = await remainingBytes(t, iccid);
      // Credited by the step before the crash (after-credit), or by recovery (after-authorize).
      if (point === 'after-credit') expect(remaining).toBe(remainingAfterCrash);
      else expect(remaining).toBeGreaterThan(remainingAfterCrash);
      expect((await auditOf(t)).ok).toBe(true);
    },
  );

  it('commit one by one for an async top-up: the 202 follows the authorization alone', async () => {
    const { t, iccid, body } = await carrierWithEsim('verizon');
    const seen = watchCommittedCharges(t.carrier.context.store, iccid);

    const res = await topup(t, iccid, body, 'async-later');
    expect(res.status).toBe(202);
    expect(seen.at(-1)).toEqual(['authorized']);
  });

  it.skipIf(skipPostgres)(
    'commit one by one on a store shared by replicas (PostgreSQL), where a smaller transaction loses fewer races',
    async () => {
      requirePostgres();
      const store = await openPostgresStore({
        url: testPostgresUrl,
        schema: newTestSchema(),
        migrations: carrierMigrations,
      });
      const { t, iccid, body } = await carrierWithEsim('att', store);
      const seen = watchCommittedCharges(t.carrier.context.store, iccid);

      expect((await topup(t, iccid, body, 'shared-store')).status).toBe(201);
      expect(seen.flat()).toContain('authorized');
      expect(seen.at(-1)).toEqual(['captured']);
      expect((await auditOf(t)).ok).toBe(true);
    },
  );

  it('commit together for a renewal: the period is paid in one transaction', async () => {
    const t = await startTestCarrier({ carrier: 'att', seed: 44 });
    carrier = t;
    const esim = await activeEsim(t, 'att-unlimited-starter');
    const seen = watchCommittedCharges(t.carrier.context.store, esim.iccid, 'renewal');
    const lapse = Date.parse(esim.balance.expiresAt);

    await advanceTo(t, lapse + 60_000);

    expect(await chargesFor(t, esim.iccid, 'renewal')).toMatchObject([{ status: 'captured' }]);
    expect(seen.flat()).not.toContain('authorized');
    expect(seen.at(-1)).toEqual(['captured']);
    await expectCleanAudit(t);
  });
});
