import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { type SettingsRecord, settings } from '../../persistence/collections.ts';

/** How long an `async`-style top-up stays pending before the carrier completes it. */
export const DEFAULT_ASYNC_COMPLETION_MS = 1000;

/** The carrier's persisted settings, with defaults from its profile when none are stored yet. */
export async function readSettings(
  tx: StoreTx,
  context: Pick<CarrierContext, 'profile'>,
): Promise<SettingsRecord> {
  const stored = await tx.get(settings, 'carrier');
  if (stored)
    return {
      ...stored,
      asyncCompletionMs: stored.asyncCompletionMs ?? DEFAULT_ASYNC_COMPLETION_MS,
    };
  return {
    id: 'carrier',
    clockOffsetMs: 0,
    apiStyle: context.profile.defaultApiStyle,
    coverageOverrides: [],
    asyncCompletionMs: DEFAULT_ASYNC_COMPLETION_MS,
  };
}

/**
 * Changes the settings inside the caller's transaction and returns them as written, with the
 * revision bumped: replicas compare revisions to know when to re-apply them.
 */
export async function writeSettings(
  tx: StoreTx,
  context: Pick<CarrierContext, 'profile'>,
  change: Partial<Omit<SettingsRecord, 'id' | 'revision'>>,
): Promise<SettingsRecord> {
  const current = await readSettings(tx, context);
  const next = { ...current, ...change, revision: (current.revision ?? 0) + 1 };
  await tx.upsert(settings, next);
  return next;
}
