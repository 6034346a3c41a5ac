import type { LedgerEntry } from '@esimlab/domain';

/** Where a page of the ledger or of the charges starts, and how long it is. */
export interface PageQuery {
  /** 1..10,000. */
  readonly limit: number;
  /** The `nextCursor` of the previous page; none for the first. */
  readonly cursor?: string;
}

/** One page of `GET /_sim/ledger`, entries as `SimClient.ledger` converts them. */
export interface LedgerPage {
  readonly data: readonly LedgerEntry[];
  /** Pass as `cursor` for the next page; null on the last one. */
  readonly nextCursor: string | null;
}
