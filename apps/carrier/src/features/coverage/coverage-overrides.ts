import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { ProblemError } from '../../http/problem.ts';
import type { CoverageOverride } from '../../persistence/collections.ts';
import { recordEvent } from '../events/journal.ts';
import { readSettings, writeSettings } from '../settings/carrier-settings.ts';

export type NewCoverageOverride = Omit<CoverageOverride, 'id'>;

/** Adds a circle that wins over the built-in map (and over older overrides). */
export async function addCoverageOverride(
  tx: StoreTx,
  context: CarrierContext,
  draft: NewCoverageOverride,
): Promise<CoverageOverride> {
  const override: CoverageOverride = { id: context.ids.next('cov'), ...draft };
  const { coverageOverrides } = await readSettings(tx, context);
  await writeSettings(tx, context, { coverageOverrides: [...coverageOverrides, override] });
  await recordEvent(tx, context, { type: 'coverage.override_added', data: { ...override } });
  return override;
}

/** Removes one override; 404 `coverage_override_not_found` when there is no such id. */
export async function removeCoverageOverride(
  tx: StoreTx,
  context: CarrierContext,
  id: string,
): Promise<CoverageOverride> {
  const { coverageOverrides } = await readSettings(tx, context);
  const removed = coverageOverrides.find((o) => o.id === id);
  if (!removed) {
    throw new ProblemError(
      404,
      'coverage_override_not_found',
      `no coverage override \`${id}\`; list the overrides with GET /_sim/coverage`,
    );
  }
  await writeSettings(tx, context, {
    coverageOverrides: coverageOverrides.filter((o) => o.id !== id),
  });
  await recordEvent(tx, context, { type: 'coverage.override_removed', data: { ...removed } });
  return removed;
}

/** Removes every override, restoring the built-in map; returns how many there were. */
export async function clearCoverageOverrides(
  tx: StoreTx,
  context: CarrierContext,
): Promise<number> {
  const { coverageOverrides } = await readSettings(tx, context);
  if (coverageOverrides.length === 0) return 0;
  await writeSettings(tx, context, { coverageOverrides: [] });
  await recordEvent(tx, context, {
    type: 'coverage.overrides_cleared',
    data: { ids: coverageOverrides.map((o) => o.id) },
  });
  return coverageOverrides.length;
}
