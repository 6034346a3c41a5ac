import type { BucketKind } from '../../catalog/data-rules.ts';
import { foldData, startDataFold } from '../../ledger/data-fold.ts';
import { inLedgerOrder } from '../../ledger/ledger.ts';
import type { LedgerEntry } from '../../ledger/ledger-entry.ts';
import type { Violation } from '../violation.ts';
import { compareText, evidenceOf } from './evidence.ts';
import { groupBy } from './group-by.ts';

/** One violation per eSIM whose usage ever exceeded the data it had live at the time. */
export function negativeBalances(
  ledger: readonly LedgerEntry[],
  consumptionOrder: readonly BucketKind[],
): Violation[] {
  return [...groupBy(inLedgerOrder(ledger), (e) => e.iccid).entries()]
    .sort(([a], [b]) => compareText(a, b))
    .flatMap(([iccid, entries]) => {
      const { overdrafts } = foldData(startDataFold(consumptionOrder), entries);
      if (overdrafts.length === 0) return [];
      const bytes = overdrafts.reduce((s, o) => s + o.overdrawnBytes, 0);
      return [
        {
          kind: 'negative_balance' as const,
          message: `${iccid} used ${bytes} bytes more than it had live (${overdrafts
            .map((o) => o.entryId)
            .join(', ')})`,
          iccid,
          evidence: evidenceOf({ entryIds: overdrafts.map((o) => o.entryId) }),
        },
      ];
    });
}
