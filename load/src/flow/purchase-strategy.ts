import type { PurchaseSession } from './purchase-session.ts';

/**
 * What the flow knows about one intent (Jepsen's ok / fail / info): `ok` it saw the top-up
 * succeed; `failed` the carrier said for certain nothing was charged; `unknown` it gave up.
 */
export type PurchaseOutcome =
  | { readonly status: 'ok'; readonly topupId: string }
  | { readonly status: 'failed'; readonly code: string }
  | { readonly status: 'unknown'; readonly reason: string };

/** How one API style buys a top-up and retries it until it knows the outcome or gives up. */
export interface PurchaseStrategy {
  readonly name: string;
  purchase(session: PurchaseSession): Promise<PurchaseOutcome>;
}
