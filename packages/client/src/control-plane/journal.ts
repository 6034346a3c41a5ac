/** One state change in the carrier's journal (`GET /_sim/events`). */
export interface JournalEvent {
  readonly id: string;
  /**
   * Position in the journal: increases from event to event, with gaps where a request rolled
   * back, and keeps increasing across resets. With replicas it follows the order numbers were
   * taken, which may differ from the order of commit: page after the writes, not during them.
   */
  readonly seq: number;
  readonly at: string;
  readonly type: string;
  readonly tenantId?: string;
  readonly iccid?: string;
  readonly eid?: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface JournalPage {
  readonly data: readonly JournalEvent[];
  /** Pass as `after` for the next page; null on the last one. */
  readonly nextCursor: string | null;
}

export interface JournalQuery {
  readonly type?: string;
  readonly iccid?: string;
  readonly eid?: string;
  readonly tenantId?: string;
  /** A `nextCursor`, or a `seq`. */
  readonly after?: number | string;
  /** 1..1000; default 100. */
  readonly limit?: number;
}
