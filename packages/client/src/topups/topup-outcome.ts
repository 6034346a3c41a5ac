import type { Problem } from '../contract/problem.ts';
import type { Topup } from '../contract/topup.ts';

/**
 * What the client knows about a purchase (Jepsen's ok / fail / info): `ok` it saw the top-up
 * succeed; `failed` the carrier said for certain nothing was charged; `unknown` it gave up
 * without knowing, and says why. Never a guess.
 */
export type TopupOutcome =
  | { readonly status: 'ok'; readonly topup: Topup }
  | { readonly status: 'failed'; readonly problem?: Problem; readonly topup?: Topup }
  | { readonly status: 'unknown'; readonly reason: string };

/** The outcome a top-up's own status settles, or undefined while it is pending. */
export function outcomeOfTopup(topup: Topup): TopupOutcome | undefined {
  switch (topup.status) {
    case 'succeeded':
      return { status: 'ok', topup };
    case 'failed':
      return { status: 'failed', topup };
    case 'pending':
      return undefined;
  }
}
