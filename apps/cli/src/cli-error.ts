/** A mistake in how the CLI was called: printed as one line naming the fix, exit code 2. */
export class CliUsageError extends Error {
  readonly code = 'cli_usage';
  readonly exitCode = 2;
}
