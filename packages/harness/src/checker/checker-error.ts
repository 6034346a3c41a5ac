export type CheckerErrorCode =
  /** The input names intents or receivers of a carrier it does not list, or a carrier twice. */
  | 'checker_input_invalid'
  /** No connection, or no answer in time. */
  | 'carrier_unreachable'
  /** A non-2xx answer. */
  | 'carrier_request_failed'
  /** A 2xx answer the checker cannot read (another carrier version?). */
  | 'carrier_response_unexpected';

/** The checker could not check: a carrier failed to answer, or the input is inconsistent. */
export class CheckerError extends Error {
  readonly code: CheckerErrorCode;

  constructor(code: CheckerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CheckerError';
    this.code = code;
  }
}
