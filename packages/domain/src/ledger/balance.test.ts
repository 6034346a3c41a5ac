import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { BucketKind } from '../catalog/data-rules.ts';
import { GB, MB } from '../data/data-size.ts';
import { consumptionOrderArbitrary, testIccids } from '../testing/consumption-order.ts';
import {
  dataEntriesFromSteps,
  dataLedgerArbitrary,
  dataStepsArbitrary,
  observationTimeArbitrary,
} from '../testing/data-ledger.ts';
import { expectEqual } from '../testing/expect-equal.ts';
import { DAY_MS } from '../time/instant.ts';
import { balanceOf, deriveBalance } from './balance.ts';
import { type DataFold, foldData, startDataFold } from './data-fold.ts';
import type { DataCreditedEntry, LedgerEntry } from './ledger-entry.ts';

const iccid = testIccids[0];
const t0 = Date.UTC(2026, 2, 7, 15);
const order: readonly BucketKind[] = ['promo', 'pass', 'base', 'boost'];

const credit = (
  id: string,
  at: number,
  bucket: BucketKind,
  bytes: number,
  expiresAt: number,
): DataCreditedEntry => ({
  type: 'data_credited',
  id,
  at,
  iccid,
  bucketId: `bk_${id}`,
  bucket,
  bytes,
  expiresAt,
  source: { kind: 'order', ref: `ord_${id}` },
});
const consume = (id: string, at: number, bytes: number): LedgerEntry => ({
  type: 'data_consumed',
  id,
  at,
  iccid,
  bytes,
});

const sumBytes = (entries: readonly LedgerEntry[], type: 'data_credited' | 'data_consumed') =>
  entries.reduce((s, e) => (e.type === type ? s + e.bytes : s), 0);

const ledgerAndTime = dataLedgerArbitrary.chain((entries) =>
  observationTimeArbitrary(entries).map((at) => ({ entries, at })),
);

describe('deriveBalance', () => {
  it('drains base data before a boost and reports what is left in each', () => {
    const entries = [
      credit('base', t0, 'base', 1 * GB, t0 + 30 * DAY_MS),
      credit('boost', t0, 'boost', 500 * MB, t0 + 30 * DAY_MS),
      consume('use', t0 + DAY_MS, 1_200 * MB),
    ];
    const balance = deriveBalance(entries, { at: t0 + DAY_MS, consumptionOrder: order });
    expect(balance.buckets).toEqual([
      { bucketId: 'bk_base', bucket: 'base', remainingBytes: 0, expiresAt: t0 + 30 * DAY_MS },
      {
        bucketId: 'bk_boost',
        bucket: 'boost',
        remainingBytes: 300 * MB,
        expiresAt: t0 + 30 * DAY_MS,
      },
    ]);
    expect(balance.dataRemainingBytes).toBe(300 * MB);
    expect(balance.dataUsedBytes).toBe(1_200 * MB);
    expect(balance.expiresAt).toBe(t0 + 30 * DAY_MS);
    expect(balance.overdrawnBytes).toBe(0);
  });

  it('drains the earliest-expiring bucket of a kind first', () => {
    const entries = [
      credit('late', t0, 'pass', 1 * GB, t0 + 7 * DAY_MS),
      credit('soon', t0, 'pass', 1 * GB, t0 + DAY_MS),
      consume('use', t0, 1_500 * MB),
    ];
    const balance = deriveBalance(entries, { at: t0, consumptionOrder: order });
    expect(balance.buckets.map((b) => [b.bucketId, b.remainingBytes])).toEqual([
      ['bk_soon', 0],
      ['bk_late', 500 * MB],
    ]);
  });

  it('forfeits what a bucket still held when it expired', () => {
    const entries = [
      credit('base', t0, 'base', 1 * GB, t0 + 7 * DAY_MS),
      consume('use', t0 + DAY_MS, 400 * MB),
    ];
    const balance = deriveBalance(entries, { at: t0 + 7 * DAY_MS, consumptionOrder: order });
    expect(balance.buckets).toEqual([]);
    expect(balance.dataRemainingBytes).toBe(0);
    expect(balance.expiredBytes).toBe(600 * MB);
    expect(balance.expiresAt).toBeNull();
  });

  it('closes a bucket early at a data_expired marker', () => {
    const entries: LedgerEntry[] = [
      credit('base', t0, 'base', 1 * GB, t0 + 30 * DAY_MS),
      { type: 'data_expired', id: 'close', at: t0 + DAY_MS, iccid, bucketId: 'bk_base' },
    ];
    expect(deriveBalance(entries, { at: t0, consumptionOrder: order }).dataRemainingBytes).toBe(GB);
    const after = deriveBalance(entries, { at: t0 + DAY_MS, consumptionOrder: order });
    expect(after.dataRemainingBytes).toBe(0);
    expect(after.expiredBytes).toBe(GB);
  });

  it('records usage beyond the live buckets as overdrawn, never as a negative bucket', () => {
    const entries = [
      credit('base', t0, 'base', 1 * GB, t0 + DAY_MS),
      consume('use', t0 + DAY_MS, 1), // the bucket expired at this very millisecond
      consume('more', t0 + DAY_MS, 2),
    ];
    const balance = deriveBalance(entries, { at: t0 + DAY_MS, consumptionOrder: order });
    expect(balance.overdrawnBytes).toBe(3);
    expect(balance.overdrafts).toEqual([
      { entryId: 'use', at: t0 + DAY_MS, overdrawnBytes: 1 },
      { entryId: 'more', at: t0 + DAY_MS, overdrawnBytes: 2 },
    ]);
    expect(balance.expiredBytes).toBe(GB);
    expect(balance.dataUsedBytes).toBe(0);
  });

  it('applies entries that share an `at` in the order they were given', () => {
    const creditFirst = [credit('c', t0, 'base', 10, t0 + DAY_MS), consume('u', t0, 10)];
    const usageFirst = [consume('u', t0, 10), credit('c', t0, 'base', 10, t0 + DAY_MS)];
    const at = { at: t0, consumptionOrder: order };
    expect(deriveBalance(creditFirst, at).overdrawnBytes).toBe(0);
    expect(deriveBalance(usageFirst, at).overdrawnBytes).toBe(10);
  });

  it('ignores entries after the observation time', () => {
    const entries = [credit('c', t0, 'base', 10, t0 + DAY_MS), consume('u', t0 + 5, 4)];
    const balance = deriveBalance(entries, { at: t0 + 4, consumptionOrder: order });
    expect(balance.dataRemainingBytes).toBe(10);
  });

  it('refuses to fold the entries of two eSIMs together', () => {
    const other: LedgerEntry = { ...consume('x', t0, 1), iccid: testIccids[1] };
    expect(() =>
      deriveBalance([credit('c', t0, 'base', 1, t0 + 1), other], {
        at: t0,
        consumptionOrder: order,
      }),
    ).toThrow(RangeError);
  });

  test.prop([ledgerAndTime, consumptionOrderArbitrary])(
    'conserves bytes: credited = remaining + used + expired, and consumed = used + overdrawn',
    ({ entries, at }, consumptionOrder) => {
      const upToAt = entries.filter((e) => e.at <= at);
      const b = deriveBalance(entries, { at, consumptionOrder });
      const amounts = [b.dataRemainingBytes, b.dataUsedBytes, b.expiredBytes, b.overdrawnBytes];
      expectEqual(
        {
          credited: b.dataRemainingBytes + b.dataUsedBytes + b.expiredBytes,
          consumed: b.dataUsedBytes + b.overdrawnBytes,
          allWholeBytes: amounts.every((n) => Number.isSafeInteger(n) && n >= 0),
        },
        {
          credited: sumBytes(upToAt, 'data_credited'),
          consumed: sumBytes(upToAt, 'data_consumed'),
          allWholeBytes: true,
        },
      );
    },
  );

  test.prop([dataLedgerArbitrary, consumptionOrderArbitrary])(
    'never leaves a bucket negative or above what was credited to it',
    (entries, consumptionOrder) => {
      const fold = foldData(startDataFold(consumptionOrder), entries);
      const outOfRange = fold.buckets.filter(
        (b) => b.remainingBytes < 0 || b.remainingBytes > b.creditedBytes,
      );
      expectEqual(outOfRange, []);
    },
  );

  test.prop([dataLedgerArbitrary, consumptionOrderArbitrary])(
    'never drains a bucket while one ahead of it in the consumption order still has live data',
    (entries, consumptionOrder) => {
      const problems: string[] = [];
      let fold: DataFold = startDataFold(consumptionOrder);
      for (const entry of entries) {
        const before = fold;
        fold = foldData(fold, [entry]);
        if (entry.type !== 'data_consumed') continue;
        // The reference order, written independently of the implementation: kind, expiry, credit order.
        const ahead = (a: number, b: number): boolean => {
          const x = before.buckets[a];
          const y = before.buckets[b];
          if (!x || !y) return false;
          const kx = consumptionOrder.indexOf(x.bucket);
          const ky = consumptionOrder.indexOf(y.bucket);
          if (kx !== ky) return kx < ky;
          return x.expiresAt !== y.expiresAt ? x.expiresAt < y.expiresAt : a < b;
        };
        const live = (i: number): boolean => {
          const x = before.buckets[i];
          return x !== undefined && !x.closed && entry.at < x.expiresAt;
        };
        before.buckets.forEach((drained, j) => {
          if (fold.buckets[j]?.remainingBytes === drained.remainingBytes) return;
          if (!live(j)) problems.push(`${entry.id} drained ${drained.bucketId}, which is not live`);
          before.buckets.forEach((waiting, i) => {
            if (live(i) && ahead(i, j) && fold.buckets[i]?.remainingBytes !== 0) {
              problems.push(`${entry.id} drained ${drained.bucketId} before ${waiting.bucketId}`);
            }
          });
        });
      }
      expectEqual(problems, []);
    },
  );

  test.prop([dataLedgerArbitrary, consumptionOrderArbitrary])(
    'never drains a boost while base data is live',
    (entries, consumptionOrder) => {
      const problems: string[] = [];
      let fold: DataFold = startDataFold(consumptionOrder);
      for (const entry of entries) {
        const before = fold;
        fold = foldData(fold, [entry]);
        if (entry.type !== 'data_consumed') continue;
        const boostDrained = before.buckets.some(
          (b, i) => b.bucket === 'boost' && fold.buckets[i]?.remainingBytes !== b.remainingBytes,
        );
        const baseLeft = balanceOf(fold, entry.at).buckets.filter(
          (b) => b.bucket === 'base' && b.remainingBytes > 0,
        );
        if (boostDrained && baseLeft.length > 0) {
          problems.push(`${entry.id} drained a boost with base data left`);
        }
      }
      expectEqual(problems, []);
    },
  );

  test.prop([
    dataLedgerArbitrary,
    consumptionOrderArbitrary,
    fc.nat(40 * DAY_MS),
    fc.nat(40 * DAY_MS),
  ])(
    'lets expired buckets contribute nothing: data only leaves the balance by expiring once usage stops',
    (entries, consumptionOrder, d1, d2) => {
      const last = entries.at(-1)?.at ?? t0;
      const t1 = last + Math.min(d1, d2);
      const t2 = last + Math.max(d1, d2);
      const b1 = deriveBalance(entries, { at: t1, consumptionOrder });
      const b2 = deriveBalance(entries, { at: t2, consumptionOrder });
      const expiredBetween = b1.buckets
        .filter((b) => b.expiresAt <= t2)
        .reduce((s, b) => s + b.remainingBytes, 0);
      expectEqual(
        {
          listedExpired: b2.buckets.filter((b) => b.expiresAt <= t2),
          remainingLost: b1.dataRemainingBytes - b2.dataRemainingBytes,
          expiredGained: b2.expiredBytes - b1.expiredBytes,
        },
        { listedExpired: [], remainingLost: expiredBetween, expiredGained: expiredBetween },
      );
    },
  );

  test.prop([dataStepsArbitrary, consumptionOrderArbitrary, fc.nat()])(
    'gives the same fold when a prefix is folded first and the rest continued',
    (steps, consumptionOrder, cut) => {
      const entries = dataEntriesFromSteps(steps);
      const split = cut % (entries.length + 1);
      const start = startDataFold(consumptionOrder);
      const whole = foldData(start, entries);
      const continued = foldData(foldData(start, entries.slice(0, split)), entries.slice(split));
      expectEqual(continued, whole);
      const at = (entries.at(-1)?.at ?? t0) + DAY_MS;
      expectEqual(balanceOf(continued, at), deriveBalance(entries, { at, consumptionOrder }));
    },
  );

  test.prop([dataLedgerArbitrary, consumptionOrderArbitrary])(
    'derives the same balance twice and leaves its input untouched',
    (entries, consumptionOrder) => {
      const snapshot = structuredClone(entries);
      const at = (entries.at(-1)?.at ?? t0) + 1;
      const first = deriveBalance(entries, { at, consumptionOrder });
      expectEqual(deriveBalance(entries, { at, consumptionOrder }), first);
      expectEqual(entries, snapshot);
    },
  );

  test.prop([dataLedgerArbitrary, consumptionOrderArbitrary, fc.infiniteStream(fc.nat())])(
    'does not depend on the order of entries with different `at`',
    (entries, consumptionOrder, keys) => {
      const groups: LedgerEntry[][] = [];
      for (const e of entries) {
        const group = groups.at(-1);
        if (group?.[0]?.at === e.at) group.push(e);
        else groups.push([e]);
      }
      const shuffled = groups
        .map((group) => ({ group, key: keys.next().value as number }))
        .sort((a, b) => a.key - b.key)
        .flatMap((g) => g.group);
      const at = (entries.at(-1)?.at ?? t0) + 1;
      expectEqual(
        deriveBalance(shuffled, { at, consumptionOrder }),
        deriveBalance(entries, { at, consumptionOrder }),
      );
    },
  );
});
