import type { Money } from './money.ts';

export type TopupStatus = 'pending' | 'succeeded' | 'failed';

/** A purchase of an add-on for one eSIM. */
export interface Topup {
  readonly id: string;
  readonly iccid: string;
  readonly planId: string;
  readonly status: TopupStatus;
  readonly amount: Money;
  readonly dataBytes: number;
  /** Extra data from a promotion running at purchase time. */
  readonly bonusBytes: number;
  /** The gateway charge; null when the payment was declined. */
  readonly chargeId: string | null;
  readonly clientReference: string | null;
  /** Why a failed top-up failed (e.g. `card_declined`). */
  readonly failureCode?: string;
  readonly createdAt: string;
  readonly completedAt: string | null;
}

/** One page of an eSIM's top-ups, newest first (`GET /v1/esims/{iccid}/topups?limit=`). */
export interface TopupPage {
  readonly data: readonly Topup[];
  /** Pass it back as `cursor` for the next, older page; null on the last one. */
  readonly nextCursor: string | null;
}

/** `POST /v1/esims/{iccid}/topups`. */
export interface TopupRequest {
  readonly planId: string;
  readonly paymentMethod: string;
  /** The client's own id for this purchase, to look it up before retrying (`reference` style). */
  readonly clientReference?: string;
}

/** What `createTopup` saw: the top-up and how the carrier answered. */
export interface CreatedTopup {
  /** 201 for a finished top-up, 202 for one the carrier completes later (`async` style). */
  readonly httpStatus: 201 | 202;
  readonly topup: Topup;
  /** True when the carrier replayed the stored answer to an earlier request with this key. */
  readonly replayed: boolean;
  /** `Esimlab-Max-Processing-Ms`: the longest a top-up takes from arrival to commit. */
  readonly maxProcessingMs?: number;
}
