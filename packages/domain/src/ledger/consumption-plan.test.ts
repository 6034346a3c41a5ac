import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { GB } from '../data/data-size.ts';
import { consumptionOrderArbitrary, testIccids } from '../testing/consumption-order.ts';
import { dataLedgerArbitrary } from '../testing/data-ledger.ts';
import { expectEqual } from '../testing/expect-equal.ts';
import { deriveBalance } from './balance.ts';
import { planConsumption } from './consumption-plan.ts';

describe('planConsumption', () => {
  test.prop([dataLedgerArbitrary, consumptionOrderArbitrary, fc.integer({ min: 0, max: 6 * GB })])(
    'drains exactly what appending the consumption to the ledger would drain',
    (entries, consumptionOrder, bytes) => {
      const at = (entries.at(-1)?.at ?? 0) + 1;
      const before = deriveBalance(entries, { at, consumptionOrder });
      const plan = planConsumption(before, bytes, consumptionOrder);
      const after = deriveBalance(
        [...entries, { type: 'data_consumed', id: 'planned', at, iccid: testIccids[0], bytes }],
        { at, consumptionOrder },
      );
      const drained = before.buckets
        .map((b, i) => ({
          bucketId: b.bucketId,
          bucket: b.bucket,
          bytes: b.remainingBytes - (after.buckets[i]?.remainingBytes ?? 0),
        }))
        .filter((d) => d.bytes > 0);
      expectEqual(plan, {
        drains: drained,
        overdrawnBytes: after.overdrawnBytes - before.overdrawnBytes,
      });
    },
  );

  it('rejects a fractional or negative amount of data as a bug', () => {
    const balance = deriveBalance([], { at: 0, consumptionOrder: ['base'] });
    expect(() => planConsumption(balance, -1, ['base'])).toThrow(RangeError);
    expect(() => planConsumption(balance, 0.5, ['base'])).toThrow(RangeError);
  });
});
