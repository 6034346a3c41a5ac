import { SLOW_GATEWAY_DELAY_MS } from '../gateway/payment-methods.ts';

/**
 * The longest a top-up request takes from arrival to its commit (the slow gateway plus a
 * margin). A `reference`-style client that lost its response waits at least this long
 * before looking up its `clientReference`, so it never retries a purchase still in flight.
 */
export const MAX_PROCESSING_MS = SLOW_GATEWAY_DELAY_MS + 2000;
