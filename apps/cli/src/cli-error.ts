/** A mistake in how the CLI was called: printed as one line naming the fix, exit code 2. */
export class CliUsageError extends Error {
  readonly code = 'cli_usage';
  readonly exitCode = 2;
}

/** Stable codes of the failures a command reports instead of a stack trace. */
export type CliFailureCode =
  | 'carrier_unreachable'
  | 'carrier_not_identified'
  | 'carrier_start_failed'
  | 'admin_token_rejected'
  | 'unexpected_response'
  | 'port_in_use'
  | 'proxy_config_rejected';

/**
 * A command could not do its job for a reason outside the command line (a carrier that is
 * down, a port that is taken): printed as one line saying what to do, exit code 1.
 */
export class CliFailure extends Error {
  readonly code: CliFailureCode;
  readonly exitCode = 1;

  constructor(code: CliFailureCode, message: string) {
    super(message);
    this.code = code;
  }
}
