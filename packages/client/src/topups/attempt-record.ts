import type { TopupStatus } from '../contract/topup.ts';
import type { NetworkErrorKind, NetworkErrorPhase } from '../errors/carrier-network-error.ts';

/** `create` buys (POST), `lookup` finds by clientReference, `poll` reads one top-up. */
export type AttemptRequest = 'create' | 'lookup' | 'poll';

export type AttemptResult =
  | {
      readonly type: 'response';
      readonly httpStatus: number;
      /** The problem's code, for an error answer. */
      readonly code?: string;
      /** The top-up's status, for a `create` or `poll` that got one. */
      readonly topupStatus?: TopupStatus;
    }
  | {
      readonly type: 'network-error';
      readonly kind: NetworkErrorKind;
      readonly phase: NetworkErrorPhase;
      /** The status line's code, when the failure came after the headers. */
      readonly httpStatus?: number;
    };

/** One request of a purchase, for logs, reports and the tests that check the retry timing. */
export interface AttemptRecord {
  readonly request: AttemptRequest;
  /** Unix time in ms. */
  readonly startedAtMs: number;
  readonly durationMs: number;
  readonly idempotencyKey?: string;
  readonly clientReference?: string;
  /** For a `poll`. */
  readonly topupId?: string;
  readonly result: AttemptResult;
}
