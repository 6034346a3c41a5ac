import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineCollection, openSqliteStore } from '@esimlab/store';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ChargeRecord,
  carrierCollections,
  carrierMigrations,
  charges,
  type TopupRecord,
  topups,
  type WebhookEventRecord,
  webhookEvents,
} from './collections.ts';

const root = mkdtempSync(join(tmpdir(), 'esimlab-collections-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('carrierCollections', () => {
  it('names every collection a migration creates, so a reset wipes collections added later', () => {
    const created = carrierMigrations.flatMap((m) => m.collections ?? []).map((c) => c.name);
    expect([...carrierCollections.keys()].sort()).toEqual([...created].sort());
  });
});

describe('carrierMigrations', () => {
  it('keeps the charges, top-ups and webhook events of a database from before the unread indexes were dropped', async () => {
    const file = join(root, 'v5', 'att.sqlite');
    const v6 = carrierMigrations.findIndex((m) => m.name === 'unread-indexes');
    expect(v6).toBeGreaterThan(0);
    // The collections as they were before it: their handles name the indexes then.
    const chargesBefore = defineCollection<ChargeRecord>({
      name: 'charges',
      primaryKey: 'id',
      indexed: ['tenantId', 'iccid', 'createdAt', 'status'],
    });
    const topupsBefore = defineCollection<TopupRecord>({
      name: 'topups',
      primaryKey: 'id',
      indexed: ['tenantId', 'iccid', 'clientReference', 'status', 'createdAt'],
    });
    const eventsBefore = defineCollection<WebhookEventRecord>({
      name: 'webhookEvents',
      primaryKey: 'id',
      unique: [['dedupeKey']],
      indexed: ['tenantId', 'type', 'createdAt'],
    });
    const charge: ChargeRecord = {
      id: 'ch_1',
      tenantId: 'dev',
      iccid: '8901410000000000008',
      amount: { amount: 500, currency: 'USD' },
      status: 'captured',
      purpose: { kind: 'topup', ref: 'tu_1' },
      paymentMethod: 'pm_card_visa',
      createdAt: 1_000,
      updatedAt: 1_000,
    };
    const topup: TopupRecord = {
      id: 'tu_1',
      tenantId: 'dev',
      iccid: charge.iccid,
      planId: 'att-boost-5gb',
      status: 'succeeded',
      amount: charge.amount,
      dataBytes: 5_000_000_000,
      bonusBytes: 0,
      chargeId: charge.id,
      clientReference: 'order-42',
      paymentMethod: 'pm_card_visa',
      apiStyle: 'idempotent',
      createdAt: 1_000,
      completedAt: 1_000,
    };
    const event: WebhookEventRecord = {
      id: 'whevt_1',
      tenantId: 'dev',
      type: 'topup.succeeded',
      createdAt: 1_000,
      data: { topupId: topup.id },
      dedupeKey: 'topup.succeeded:tu_1',
    };
    const before = await openSqliteStore({ file, migrations: carrierMigrations.slice(0, v6) });
    try {
      await before.transaction(async (tx) => {
        await tx.insert(chargesBefore, charge);
        await tx.insert(topupsBefore, topup);
        await tx.insert(eventsBefore, event);
      });
    } finally {
      await before.close();
    }

    const after = await openSqliteStore({ file, migrations: carrierMigrations });
    try {
      await after.transaction(async (tx) => {
        expect(await tx.get(charges, 'ch_1')).toEqual(charge);
        expect(await tx.find(charges, { iccid: charge.iccid, status: 'captured' })).toEqual([
          charge,
        ]);
        expect(await tx.find(topups, { iccid: topup.iccid, clientReference: 'order-42' })).toEqual([
          topup,
        ]);
        expect(await tx.find(webhookEvents, { dedupeKey: event.dedupeKey ?? '' })).toEqual([event]);
        // Written after the migration too, without the dropped columns.
        await tx.insert(charges, { ...charge, id: 'ch_2', createdAt: 2_000 });
        expect(
          (await tx.find(charges, { iccid: charge.iccid }, { orderBy: 'createdAt' })).map(
            (c) => c.id,
          ),
        ).toEqual(['ch_1', 'ch_2']);
      });
    } finally {
      await after.close();
    }
  });
});
