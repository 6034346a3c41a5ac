import { carrierMigrations } from '@esimlab/carrier';
import { defineCollection, openStore } from '@esimlab/store';
import { describe, expect, it } from 'vitest';
import { fencedStore } from '../../src/carrier/internal/fenced-store.ts';
import { activeEsim, withSimulatedCarrier } from '../support/simulated-carrier.ts';

const boost = { planId: 'att-boost-2gb', paymentMethod: 'pm_card_visa' } as const;

describe('a simulated carrier that crashes', () => {
  it('dies at a saga crash point, restarts on the same data, and its recovery finishes the purchase', async () => {
    await withSimulatedCarrier('att', async ({ client, carrier }) => {
      const esim = await activeEsim(client, 'att');
      await client.sim.armCrashPoint('after-authorize');

      await expect(
        client.createTopup(esim.iccid, boost, { idempotencyKey: 'k1' }),
      ).rejects.toMatchObject({ kind: 'reset' });
      await carrier.whenUp();

      expect(carrier.incarnations).toBe(2);
      expect(carrier.crashes).toEqual(['process 1: crash point after-authorize']);
      const charges = (await client.sim.gatewayCharges({ iccid: esim.iccid })).filter(
        (c) => c.purpose.kind === 'topup',
      );
      expect(charges.map((c) => c.status)).toEqual(['captured']);
      expect((await client.usage(esim.iccid)).dataRemainingBytes).toBe(52_000_000_000);
      // The key the dead process left in progress answers with the recovered top-up.
      const replay = await client.createTopup(esim.iccid, boost, { idempotencyKey: 'k1' });
      expect(replay).toMatchObject({ replayed: true, topup: { status: 'succeeded' } });
      expect(carrier.failures).toEqual([]);
    });
  });

  it('loses the timers of a killed process, and its successor re-arms the work they stood for', async () => {
    await withSimulatedCarrier('verizon', async ({ client, carrier, clock }) => {
      const esim = await activeEsim(client, 'verizon');
      const accepted = await client.createTopup(
        esim.iccid,
        { planId: 'verizon-boost-2gb', paymentMethod: 'pm_card_visa' },
        { idempotencyKey: 'k1' },
      );
      expect(accepted.topup.status).toBe('pending');

      await carrier.kill();
      await clock.sleep(5_000);

      expect((await client.getTopup(accepted.topup.id)).status).toBe('succeeded');
      expect(carrier.incarnations).toBe(2);
    });
  });

  it('reports an error the carrier logged as a failure of the carrier', async () => {
    await withSimulatedCarrier('att', async ({ carrier }) => {
      const context = carrier.current?.context;
      context?.logger.error({ err: new Error('boom') }, 'unhandled error');
      expect(carrier.failures).toEqual(['process 1 logged an error: unhandled error: Error: boom']);
    });
  });
});

describe('the store a dead process sees', () => {
  const tenants = defineCollection<{ id: string; name: string }>({
    name: 'tenants',
    primaryKey: 'id',
  });

  it('rolls back a transaction left open when the process died, and refuses any after', async () => {
    const store = await openStore({ kind: 'memory', migrations: carrierMigrations });
    let alive = true;
    const fenced = fencedStore(store, () => alive);

    const open = fenced.transaction(async (tx) => {
      await tx.insert(tenants, { id: 't1', name: 'first' } as never);
      alive = false;
      await new Promise((resolve) => setImmediate(resolve));
    });

    await expect(open).rejects.toMatchObject({ code: 'carrier_crashed' });
    await expect(fenced.transaction(async () => undefined)).rejects.toMatchObject({
      code: 'carrier_crashed',
    });
    expect(await store.transaction((tx) => tx.get(tenants, 't1'))).toBeUndefined();
    await store.close();
  });
});
