import { type Collection, defineCollection } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { carrierMigrations, settings } from '../../persistence/collections.ts';
import { writeFaults } from '../faults/persisted-faults.ts';
import { readSettings } from '../settings/carrier-settings.ts';
import { ensureDevTenant } from '../tenants/tenant-keys.ts';

// Every collection any migration created, so collections added later are wiped too.
const everyCollection: readonly Collection<object>[] = [
  ...new Map(
    carrierMigrations
      .flatMap((migration) => migration.collections ?? [])
      .map((spec) => [spec.name, defineCollection<Record<string, string>>(spec)]),
  ).values(),
];

/**
 * Puts the carrier back to its first start: every document deleted, default settings (clock
 * offset 0, the profile's API style, no coverage overrides, no fault rules), tenant `dev`
 * re-created, pending background work dropped and every saga crash point disarmed (a point
 * armed for the previous run would otherwise kill the next one). The store's part is one
 * transaction, so a reset is never half done.
 */
export async function resetCarrier(context: CarrierContext): Promise<void> {
  context.scheduler.cancelAll();
  const previousOffset = context.clock.offsetMs;
  context.clock.restore(0);
  try {
    await context.store.transaction(async (tx) => {
      for (const collection of everyCollection) await tx.deleteWhere(collection, {});
      await tx.insert(settings, await readSettings(tx, context));
      await writeFaults(tx, context, []);
      await ensureDevTenant(tx, context.clock.now());
    });
    // The seed stays, so a reset followed by the same rules fails the same requests again.
    context.faults.clear();
    context.crashPoints.disarmAll();
  } catch (error) {
    context.clock.restore(previousOffset);
    throw error;
  }
}
