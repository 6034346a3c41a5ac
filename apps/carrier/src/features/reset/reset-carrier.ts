import type { Collection } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import {
  carrierCollections,
  leases,
  replicas,
  type SettingsRecord,
  settings,
} from '../../persistence/collections.ts';
import { readSettings, writeSettings } from '../settings/carrier-settings.ts';
import { ensureDevTenant } from '../tenants/tenant-keys.ts';

// Which replicas are alive, and which holds a duty, describes the processes, not the carrier's
// state: wiping it would make live replicas look dead and their work look abandoned.
const processCollections = new Set([replicas.name, leases.name]);

const everyCollection: readonly Collection<object>[] = [...carrierCollections.values()].filter(
  (collection) => !processCollections.has(collection.name),
);

/**
 * Puts the carrier back to its first start: every document deleted, default settings (clock
 * offset 0, the profile's API style, no coverage overrides, no fault rules), tenant `dev`
 * re-created, pending background work dropped and every saga crash point disarmed (a point
 * armed for the previous run would otherwise kill the next one). The store's part is one
 * transaction, so a reset is never half done. Other replicas see the reset count move on
 * their next request and drop their own pending work and crash points too.
 */
export async function resetCarrier(context: CarrierContext): Promise<void> {
  context.scheduler.cancelAll();
  const previousOffset = context.clock.offsetMs;
  context.clock.restore(0);
  let written: SettingsRecord;
  try {
    written = await context.store.transaction(async (tx) => {
      const before = await readSettings(tx, context);
      for (const collection of everyCollection) await tx.deleteWhere(collection, {});
      const defaults = await readSettings(tx, context);
      // The revision and reset count go on from where they were, so every replica notices.
      await tx.insert(settings, {
        ...defaults,
        revision: before.revision ?? 0,
        resets: (before.resets ?? 0) + 1,
      });
      await ensureDevTenant(tx, context.clock.now());
      // The seed stays, so a reset followed by the same rules fails the same requests again.
      return writeSettings(tx, context, {
        faults: {
          seed: before.faults?.seed ?? context.faults.seed,
          rules: [],
          generation: (before.faults?.generation ?? 0) + 1,
        },
      });
    });
  } catch (error) {
    context.clock.restore(previousOffset);
    throw error;
  }
  context.sharedState.apply(written);
  context.crashPoints.disarmAll();
}
