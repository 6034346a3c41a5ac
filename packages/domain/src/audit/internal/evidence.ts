import { compareText } from '../../text/compare-text.ts';
import type { Violation, ViolationEvidence } from '../violation.ts';
import { violationKinds } from '../violation.ts';

export { compareText };

export const sortedUnique = (ids: Iterable<string>): string[] =>
  [...new Set(ids)].sort(compareText);

/** Builds evidence with every list sorted and without repeats. */
export function evidenceOf(
  parts: { readonly [K in keyof ViolationEvidence]?: Iterable<string> },
): ViolationEvidence {
  return {
    chargeIds: sortedUnique(parts.chargeIds ?? []),
    entryIds: sortedUnique(parts.entryIds ?? []),
    intentIds: sortedUnique(parts.intentIds ?? []),
    idempotencyKeys: sortedUnique(parts.idempotencyKeys ?? []),
  };
}

/** Report order: by kind, then by the evidence, so the same history always reads the same. */
export function compareViolations(a: Violation, b: Violation): number {
  const key = (v: Violation): string[] => [
    v.evidence.chargeIds.join(','),
    v.evidence.entryIds.join(','),
    v.evidence.intentIds.join(','),
    v.evidence.idempotencyKeys.join(','),
    v.iccid ?? '',
    v.message,
  ];
  const byKind = violationKinds.indexOf(a.kind) - violationKinds.indexOf(b.kind);
  if (byKind !== 0) return byKind;
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i++) {
    const c = compareText(ka[i] ?? '', kb[i] ?? '');
    if (c !== 0) return c;
  }
  return 0;
}
