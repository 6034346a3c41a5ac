import { formatIdempotencyScope, type IdempotencyRecord } from '../idempotency-record.ts';
import type { Violation } from '../violation.ts';
import { compareText, evidenceOf, sortedUnique } from './evidence.ts';
import { groupBy } from './group-by.ts';

/** One violation per key bound to two or more different requests within one scope. */
export function idempotencyConflicts(records: readonly IdempotencyRecord[]): Violation[] {
  const byKey = groupBy(records, (r) => `${formatIdempotencyScope(r.scope)}\u0000${r.key}`);
  return [...byKey.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .flatMap(([, bound]) => {
      const fingerprints = sortedUnique(bound.map((r) => r.requestFingerprint));
      const first = bound[0];
      if (fingerprints.length < 2 || first === undefined) return [];
      return [
        {
          kind: 'idempotency_conflict' as const,
          message: `key ${first.key} in ${formatIdempotencyScope(first.scope)} is bound to ${
            fingerprints.length
          } different requests (${fingerprints.join(', ')})`,
          scope: first.scope,
          evidence: evidenceOf({ idempotencyKeys: [first.key] }),
        },
      ];
    });
}
