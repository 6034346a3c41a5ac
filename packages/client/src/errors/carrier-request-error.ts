import { CarrierNetworkError } from './carrier-network-error.ts';
import { CarrierProblemError } from './carrier-problem-error.ts';

/** Any way a carrier request can fail: an error answer, or no complete answer at all. */
export type CarrierRequestError = CarrierProblemError | CarrierNetworkError;

export const isCarrierRequestError = (error: unknown): error is CarrierRequestError =>
  error instanceof CarrierProblemError || error instanceof CarrierNetworkError;
