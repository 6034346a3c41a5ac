import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineCollection, openStore, type Store } from '@esimlab/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carrierMigrations } from '../../src/index.ts';
import { ledger, ledgerRecordOf } from '../../src/persistence/collections.ts';
import { createDevice, download, orderEsim } from '../devices/device-fixtures.ts';
import { json, startTestCarrier } from '../support/test-carrier.ts';
import { addon, type LooseJson, topup } from '../topups/topup-fixtures.ts';

// A database written before the ledger had lookup keys (schema version 2): opening it with
// the current carrier backfills the keys (and drops the journal indexes of version 5), and due
// work, fulfilment and the journal's filters find the old entries.
const dir = mkdtempSync(join(tmpdir(), 'esimlab-upgrade-'));
const file = join(dir, 'carrier.sqlite');
const openAt = (version: number): Promise<Store> =>
  openStore({
    kind: 'sqlite',
    file,
    migrations: carrierMigrations.filter((m) => m.version <= version),
  });

const latest = carrierMigrations.at(-1)?.version ?? 0;
let iccid: string;
let topupId: string;
beforeAll(async () => {
  const source = await startTestCarrier();
  // A plan that does not renew, so its base bucket lapses.
  const { data: plans } = await json(await source.api('/v1/plans'));
  const plan = plans.find(
    (p: LooseJson) => p.kind === 'base' && !p.autoRenewable && !p.confirmationCodeRequired,
  );
  const esim = await orderEsim(source, plan);
  const device = await createDevice(source);
  const downloaded = await download(source, {
    eid: device.eid,
    activationCode: esim.activationCode,
  });
  expect(downloaded.status).toBe(200);
  iccid = esim.iccid;
  const boost = await addon(source, 'boost');
  const bought = await topup(
    source,
    iccid,
    { planId: boost.id, paymentMethod: 'pm_card_visa' },
    'k1',
  );
  expect(bought.status).toBe(201);
  topupId = (await json(bought)).id;

  // The same data as version 2 stored it: every document copied, ledger rows without keys.
  const old = await openAt(2);
  const specs = carrierMigrations.filter((m) => m.version <= 2).flatMap((m) => m.collections ?? []);
  for (const spec of specs) {
    const collection = defineCollection<Record<string, unknown>>(spec as never);
    // Read with the bare collection: the source is at the latest version, whose indexes differ.
    const unindexed = defineCollection<Record<string, unknown>>({
      name: spec.name,
      primaryKey: spec.primaryKey,
    } as never);
    const docs = await source.store.transaction((tx) => tx.find(unindexed, {}));
    await old.transaction(async (tx) => {
      for (const doc of docs) {
        const { creditSource: _, baseExpiresAt: __, ...bare } = doc;
        await tx.insert(collection, spec.name === 'ledger' ? bare : doc);
      }
    });
  }
  await old.close();
  await source.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('upgrading a version 2 database', () => {
  it('backfills every ledger entry with its lookup keys', async () => {
    const store = await openAt(latest);
    try {
      const records = await store.transaction((tx) => tx.find(ledger, {}, { orderBy: 'seq' }));
      expect(records.length).toBeGreaterThanOrEqual(2);
      expect(records).toEqual(records.map((r) => ledgerRecordOf(r.entry, r.seq)));
      const boost = await store.transaction((tx) =>
        tx.find(ledger, { creditSource: `topup:${topupId}` }),
      );
      expect(boost.map((r) => r.iccid)).toEqual([iccid]);
    } finally {
      await store.close();
    }
  });

  it('lets the upgraded carrier journal the old base plan expiring', async () => {
    const after = await startTestCarrier({ store: await openAt(latest) });
    try {
      const esim = await json(await after.api(`/v1/esims/${iccid}`));
      const expiresAt = Date.parse(esim.balance.expiresAt);
      const now = Date.parse((await json(await after.api('/_sim/clock'))).now);
      const advanced = await after.api('/_sim/clock/advance', {
        method: 'POST',
        json: { ms: expiresAt - now + 60_000 },
      });
      expect(advanced.status).toBe(200);
      const events = await json(await after.api(`/_sim/events?type=esim.expired&iccid=${iccid}`));
      expect(events.data.map((e: { data: { expiresAt: string } }) => e.data.expiresAt)).toContain(
        new Date(expiresAt).toISOString(),
      );
    } finally {
      await after.close();
    }
  });
});
