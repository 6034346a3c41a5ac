import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { type SettingsRecord, settings } from '../../persistence/collections.ts';

/** The carrier's persisted settings, with defaults from its profile when none are stored yet. */
export async function readSettings(
  tx: StoreTx,
  context: Pick<CarrierContext, 'profile'>,
): Promise<SettingsRecord> {
  return (
    (await tx.get(settings, 'carrier')) ?? {
      id: 'carrier',
      clockOffsetMs: 0,
      apiStyle: context.profile.defaultApiStyle,
      coverageOverrides: [],
    }
  );
}

export async function writeSettings(
  tx: StoreTx,
  context: Pick<CarrierContext, 'profile'>,
  change: Partial<Omit<SettingsRecord, 'id'>>,
): Promise<SettingsRecord> {
  const next = { ...(await readSettings(tx, context)), ...change };
  await tx.upsert(settings, next);
  return next;
}
