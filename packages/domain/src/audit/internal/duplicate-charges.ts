import type { GatewayCharge } from '../gateway-charge.ts';
import type { Violation } from '../violation.ts';
import { compareText, evidenceOf } from './evidence.ts';
import { groupBy } from './group-by.ts';
import { describePurpose, type HistoryIndex, purposeKey } from './history-index.ts';

/** Captured charge ids that should have been one charge. */
export type DuplicateGroup = readonly string[];

/** Two or more captures for one fulfilment ref. */
export function duplicatesByPurpose(index: HistoryIndex): DuplicateGroup[] {
  return index.purposes
    .filter((p) => p.captures.length > 1)
    .map((p) => p.captures.map((c) => c.id));
}

/**
 * Two or more captured top-ups carrying one `clientReference` on one eSIM: the client
 * retried in the `reference` style and bought twice.
 */
export function duplicatesByClientReference(index: HistoryIndex): DuplicateGroup[] {
  const captured = index.charges.filter(
    (c) => c.status === 'captured' && c.purpose.kind === 'topup' && c.clientReference !== undefined,
  );
  const groups = groupBy(
    captured,
    (c) => `${index.iccidOfCharge.get(c.id) ?? ''}\u0000${c.clientReference ?? ''}`,
  );
  return [...groups.values()].filter((g) => g.length > 1).map((g) => g.map((c) => c.id));
}

/**
 * One violation per set of captures that belong to one purchase. Groups found by different
 * rules (same ref, same client reference, same intent) are merged when they share a
 * charge, so one double purchase is reported once, with all its evidence.
 */
export function duplicateCharges(
  groups: readonly DuplicateGroup[],
  index: HistoryIndex,
): Violation[] {
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    const up = parent.get(id);
    if (up === undefined || up === id) {
      parent.set(id, id);
      return id;
    }
    const root = find(up);
    parent.set(id, root);
    return root;
  };
  for (const [first, ...rest] of groups) {
    if (first === undefined) continue;
    find(first);
    for (const id of rest) parent.set(find(id), find(first));
  }
  const components = groupBy([...parent.keys()], find);

  const chargeById = new Map(index.charges.map((c) => [c.id, c]));
  return [...components.values()].map((ids) => {
    const charges = ids
      .map((id) => chargeById.get(id))
      .filter((c): c is GatewayCharge => c !== undefined)
      .sort((a, b) => compareText(a.id, b.id));
    const paidFor = new Set(charges.map((c) => purposeKey(c.purpose)));
    const fulfilments = index.purposes
      .filter((p) => paidFor.has(purposeKey(p.purpose)))
      .flatMap((p) => p.fulfilments.map((e) => e.id));
    return {
      kind: 'duplicate_charge' as const,
      message: `${charges.length} captured charges pay for one purchase: ${charges
        .map((c) => `${c.id} (${describePurpose(c.purpose)})`)
        .join(', ')}`,
      evidence: evidenceOf({ chargeIds: ids, entryIds: fulfilments }),
    };
  });
}
