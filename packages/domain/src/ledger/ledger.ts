import type { Money } from '../money/money.ts';
import { err, ok, type Result } from '../result.ts';
import type { LedgerEntry } from './ledger-entry.ts';

/** An append-only ledger: entries in ledger order (by `at`, then by append order). */
export type Ledger = readonly LedgerEntry[];

export interface LedgerError {
  readonly code:
    | 'entry_out_of_order'
    | 'duplicate_entry_id'
    | 'invalid_time'
    | 'invalid_bytes'
    | 'invalid_amount'
    | 'duplicate_bucket'
    | 'unknown_bucket';
  readonly message: string;
}

/**
 * Puts entries in ledger order: stably by `at`, so entries with the same `at` keep the
 * order they were given in (their sequence). Returns a new array.
 */
export function inLedgerOrder(entries: readonly LedgerEntry[]): LedgerEntry[] {
  // Array.prototype.sort is stable since ES2019, which is what makes the given order the tie-break.
  return [...entries].sort((a, b) => a.at - b.at);
}

/**
 * Appends an entry, refusing anything that would break the ledger's laws: time never goes
 * backwards, ids are unique, bytes and money are whole and non-negative, bucket ids are
 * unique and an expiry names a bucket credited to the same eSIM.
 */
export function appendEntry(ledger: Ledger, entry: LedgerEntry): Result<Ledger, LedgerError> {
  const problem = checkEntry(entry) ?? checkAgainst(ledger, entry);
  return problem ? err(problem) : ok([...ledger, entry]);
}

function checkEntry(entry: LedgerEntry): LedgerError | undefined {
  if (!isWhole(entry.at)) {
    return { code: 'invalid_time', message: `entry ${entry.id}: at must be epoch milliseconds` };
  }
  switch (entry.type) {
    case 'data_credited':
      if (!isWhole(entry.bytes)) return invalidBytes(entry.id, entry.bytes);
      if (!Number.isSafeInteger(entry.expiresAt) || entry.expiresAt <= entry.at) {
        return {
          code: 'invalid_time',
          message: `entry ${entry.id}: bucket ${entry.bucketId} must expire after it is credited`,
        };
      }
      return undefined;
    case 'data_consumed':
      return isWhole(entry.bytes) ? undefined : invalidBytes(entry.id, entry.bytes);
    case 'charge_authorized':
    case 'fee_assessed':
      return isValidAmount(entry.amount)
        ? undefined
        : {
            code: 'invalid_amount',
            message: `entry ${entry.id}: amount must be whole, non-negative minor units`,
          };
    default:
      return undefined;
  }
}

function checkAgainst(ledger: Ledger, entry: LedgerEntry): LedgerError | undefined {
  const last = ledger.at(-1);
  if (last && entry.at < last.at) {
    return {
      code: 'entry_out_of_order',
      message: `entry ${entry.id} at ${entry.at} is earlier than the last entry (${last.at}); the ledger is append-only`,
    };
  }
  if (ledger.some((e) => e.id === entry.id)) {
    return { code: 'duplicate_entry_id', message: `entry id ${entry.id} is already in the ledger` };
  }
  if (entry.type === 'data_credited') {
    const taken = ledger.some((e) => e.type === 'data_credited' && e.bucketId === entry.bucketId);
    if (taken) {
      return { code: 'duplicate_bucket', message: `bucket ${entry.bucketId} was already credited` };
    }
  }
  if (entry.type === 'data_expired') {
    const credited = ledger.some(
      (e) => e.type === 'data_credited' && e.bucketId === entry.bucketId && e.iccid === entry.iccid,
    );
    if (!credited) {
      return {
        code: 'unknown_bucket',
        message: `bucket ${entry.bucketId} was never credited to ${entry.iccid}`,
      };
    }
  }
  return undefined;
}

const isWhole = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

const isValidAmount = (m: Money): boolean => isWhole(m.amount);

const invalidBytes = (id: string, bytes: number): LedgerError => ({
  code: 'invalid_bytes',
  message: `entry ${id}: bytes must be a whole, non-negative number, got ${bytes}`,
});
