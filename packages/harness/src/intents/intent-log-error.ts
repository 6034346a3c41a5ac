export type IntentLogErrorCode =
  | 'intent_invalid'
  | 'intent_duplicate'
  | 'intent_log_unwritable'
  | 'intent_log_unreadable'
  | 'intent_log_malformed'
  | 'intent_log_closed';

/** Something wrong with an intent or an intent log file; the message says what to fix. */
export class IntentLogError extends Error {
  readonly code: IntentLogErrorCode;

  constructor(code: IntentLogErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IntentLogError';
    this.code = code;
  }
}
