/** Where a page of the ledger or of the charges starts, and how long it is. */
export interface PageQuery {
  /** 1..10,000. */
  readonly limit: number;
  /** The `nextCursor` of the previous page; none for the first. */
  readonly cursor?: string;
}
