import fc from 'fast-check';
import { type BucketKind, bucketKinds } from '../catalog/data-rules.ts';
import { GB } from '../data/data-size.ts';
import type { CreditSourceKind, LedgerEntry } from '../ledger/ledger-entry.ts';
import { DAY_MS, type EpochMillis, HOUR_MS } from '../time/instant.ts';
import { testIccids } from './consumption-order.ts';

/** One step of a generated eSIM data history. */
export type DataStep =
  | {
      readonly kind: 'credit';
      readonly bucket: BucketKind;
      readonly bytes: number;
      readonly validityMs: number;
      readonly source: CreditSourceKind;
    }
  | { readonly kind: 'consume'; readonly bytes: number }
  /** Closes the `pick`-th credited bucket (modulo their number) with a `data_expired` marker. */
  | { readonly kind: 'close'; readonly pick: number }
  | { readonly kind: 'wait'; readonly ms: number };

const creditStep = fc.record({
  kind: fc.constant('credit' as const),
  bucket: fc.constantFrom(...bucketKinds),
  bytes: fc.integer({ min: 0, max: 5 * GB }),
  validityMs: fc.integer({ min: 1, max: 30 * DAY_MS }),
  source: fc.constantFrom<CreditSourceKind>('order', 'topup', 'renewal', 'promotion'),
});

const stepArbitrary: fc.Arbitrary<DataStep> = fc.oneof(
  { arbitrary: creditStep, weight: 3 },
  {
    arbitrary: fc.record({
      kind: fc.constant('consume' as const),
      bytes: fc.integer({ min: 0, max: 3 * GB }),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('close' as const), pick: fc.nat(50) }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      // Zero often, so that several entries share one `at` and the sequence decides.
      ms: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 10 * DAY_MS })),
    }),
    weight: 3,
  },
);

export const dataStepsArbitrary: fc.Arbitrary<DataStep[]> = fc.array(stepArbitrary, {
  maxLength: 60,
  size: 'medium',
});

/** Turns steps into one eSIM's data entries, in ledger order (`at` never decreases). */
export function dataEntriesFromSteps(
  steps: readonly DataStep[],
  options: { readonly iccid?: string; readonly start?: EpochMillis } = {},
): LedgerEntry[] {
  const iccid = options.iccid ?? testIccids[0];
  let at = options.start ?? Date.UTC(2026, 2, 7, 15);
  const entries: LedgerEntry[] = [];
  const bucketIds: string[] = [];
  const nextId = (): string => `le_${entries.length + 1}`;
  for (const step of steps) {
    switch (step.kind) {
      case 'credit': {
        const bucketId = `bk_${bucketIds.length + 1}`;
        bucketIds.push(bucketId);
        entries.push({
          type: 'data_credited',
          id: nextId(),
          at,
          iccid,
          bucketId,
          bucket: step.bucket,
          bytes: step.bytes,
          expiresAt: at + step.validityMs,
          source: { kind: step.source, ref: `${step.source}_${bucketId}` },
        });
        break;
      }
      case 'consume':
        entries.push({ type: 'data_consumed', id: nextId(), at, iccid, bytes: step.bytes });
        break;
      case 'close': {
        const bucketId = bucketIds[step.pick % Math.max(bucketIds.length, 1)];
        if (bucketId !== undefined) {
          entries.push({ type: 'data_expired', id: nextId(), at, iccid, bucketId });
        }
        break;
      }
      case 'wait':
        at += step.ms;
        break;
    }
  }
  return entries;
}

/** A random data ledger for one eSIM, with its generating steps (they shrink well). */
export const dataLedgerArbitrary: fc.Arbitrary<LedgerEntry[]> = dataStepsArbitrary.map((steps) =>
  dataEntriesFromSteps(steps),
);

/** An observation time around a ledger: before, inside or after its entries. */
export function observationTimeArbitrary(
  entries: readonly LedgerEntry[],
): fc.Arbitrary<EpochMillis> {
  const first = entries[0]?.at ?? Date.UTC(2026, 2, 7, 15);
  const last = entries.at(-1)?.at ?? first;
  return fc.integer({ min: first - HOUR_MS, max: last + 40 * DAY_MS });
}
