/** Per-call settings every client method accepts. */
export interface CallOptions {
  /** This attempt's time limit, body included; default the client's `timeoutMs`. */
  readonly timeoutMs?: number;
}
