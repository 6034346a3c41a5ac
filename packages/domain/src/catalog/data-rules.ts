/**
 * Where a subscriber's data comes from. Each credit lands in one bucket; usage drains the
 * buckets in the carrier's consumption order (earliest-expiring first within a kind).
 * - `promo`: bonus data granted by a promotion (e.g. weekend double data);
 * - `pass`: a time-boxed add-on (day pass, travel pass);
 * - `base`: the base plan's allowance;
 * - `boost`: extra high-speed data, consumed after base data.
 */
export const bucketKinds = ['promo', 'pass', 'base', 'boost'] as const;
export type BucketKind = (typeof bucketKinds)[number];

/** A carrier's rules for add-ons and for the order in which buckets are drained. */
export interface DataRules {
  /** At most one active pass at a time (a second purchase is 409 `pass_already_active`). */
  readonly onePassAtATime: boolean;
  /** Every bucket kind exactly once; `boost` always comes after `base`. */
  readonly consumptionOrder: readonly BucketKind[];
}
