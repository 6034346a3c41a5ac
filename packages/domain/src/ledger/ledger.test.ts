import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { usd } from '../money/money.ts';
import { testIccids } from '../testing/consumption-order.ts';
import { dataLedgerArbitrary } from '../testing/data-ledger.ts';
import { expectEqual } from '../testing/expect-equal.ts';
import { appendEntry, inLedgerOrder, type Ledger } from './ledger.ts';
import type { LedgerEntry } from './ledger-entry.ts';

const iccid = testIccids[0];
const t0 = Date.UTC(2026, 2, 7, 15);

const credited = (id: string, at: number, bucketId = `bk_${id}`): LedgerEntry => ({
  type: 'data_credited',
  id,
  at,
  iccid,
  bucketId,
  bucket: 'base',
  bytes: 1_000,
  expiresAt: at + 1_000,
  source: { kind: 'order', ref: 'ord_1' },
});

function appendAll(entries: readonly LedgerEntry[]): Ledger {
  let ledger: Ledger = [];
  for (const entry of entries) {
    const appended = appendEntry(ledger, entry);
    if (!appended.ok) throw new Error(appended.error.message);
    ledger = appended.value;
  }
  return ledger;
}

const codeOf = (ledger: Ledger, entry: LedgerEntry) => {
  const result = appendEntry(ledger, entry);
  return result.ok ? 'ok' : result.error.code;
};

describe('appendEntry', () => {
  test.prop([dataLedgerArbitrary])(
    'accepts every entry of a well-formed ledger, in order',
    (entries) => {
      expectEqual(appendAll(entries), entries);
    },
  );

  it('accepts an entry at the same millisecond as the last one', () => {
    const ledger = appendAll([credited('a', t0)]);
    expect(codeOf(ledger, { type: 'data_consumed', id: 'b', at: t0, iccid, bytes: 1 })).toBe('ok');
  });

  it('refuses an entry earlier than the last one: the ledger is append-only', () => {
    const ledger = appendAll([credited('a', t0)]);
    expect(codeOf(ledger, credited('b', t0 - 1))).toBe('entry_out_of_order');
  });

  it('refuses a second entry with the same id', () => {
    const ledger = appendAll([credited('a', t0)]);
    expect(codeOf(ledger, credited('a', t0 + 1, 'bk_other'))).toBe('duplicate_entry_id');
  });

  it('refuses to credit a bucket id twice', () => {
    const ledger = appendAll([credited('a', t0)]);
    expect(codeOf(ledger, credited('b', t0, 'bk_a'))).toBe('duplicate_bucket');
  });

  it('refuses to expire a bucket that was never credited to that eSIM', () => {
    const ledger = appendAll([credited('a', t0)]);
    const expire = (bucketId: string, on: string): LedgerEntry => ({
      type: 'data_expired',
      id: 'x',
      at: t0,
      iccid: on,
      bucketId,
    });
    expect(codeOf(ledger, expire('bk_zzz', iccid))).toBe('unknown_bucket');
    expect(codeOf(ledger, expire('bk_a', testIccids[1]))).toBe('unknown_bucket');
    expect(codeOf(ledger, expire('bk_a', iccid))).toBe('ok');
  });

  it('refuses fractional or negative bytes, a credit that is born expired, and fractional money', () => {
    expect(codeOf([], { type: 'data_consumed', id: 'u', at: t0, iccid, bytes: 1.5 })).toBe(
      'invalid_bytes',
    );
    expect(codeOf([], { ...credited('c', t0), bytes: -1 } as LedgerEntry)).toBe('invalid_bytes');
    expect(codeOf([], { ...credited('c', t0), expiresAt: t0 } as LedgerEntry)).toBe('invalid_time');
    expect(codeOf([], { ...credited('c', t0), at: 0.5 } as LedgerEntry)).toBe('invalid_time');
    const authorized: LedgerEntry = {
      type: 'charge_authorized',
      id: 'a',
      at: t0,
      iccid,
      chargeId: 'ch_1',
      amount: usd(5),
      purpose: { kind: 'topup', ref: 'tu_1' },
    };
    expect(codeOf([], authorized)).toBe('ok');
    expect(codeOf([], { ...authorized, amount: { amount: 1.25, currency: 'USD' } })).toBe(
      'invalid_amount',
    );
  });
});

describe('inLedgerOrder', () => {
  test.prop([dataLedgerArbitrary, fc.infiniteStream(fc.nat())])(
    'restores ledger order from any shuffle that keeps same-`at` entries in sequence',
    (entries, keys) => {
      // Deal the entries into piles by random keys, keeping each `at`'s entries in sequence.
      const shuffled = [...entries]
        .map((entry) => ({ entry, key: keys.next().value as number }))
        .sort((a, b) => a.key - b.key)
        .map((x) => x.entry);
      const byAt = new Map<number, LedgerEntry[]>();
      for (const e of entries) byAt.set(e.at, [...(byAt.get(e.at) ?? []), e]);
      const reSequenced = shuffled.map((e) => {
        const queue = byAt.get(e.at) ?? [];
        const next = queue.shift();
        if (!next) throw new Error('unreachable');
        return next;
      });
      expectEqual(inLedgerOrder(reSequenced), entries);
    },
  );

  it('does not reorder its input in place', () => {
    const input = [credited('b', t0 + 1), credited('a', t0)];
    const ordered = inLedgerOrder(input);
    expect(ordered.map((e) => e.id)).toEqual(['a', 'b']);
    expect(input.map((e) => e.id)).toEqual(['b', 'a']);
  });
});
