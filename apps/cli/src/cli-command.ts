import type { CliIo } from './io.ts';

/** One `esimlab <name>` command, as the command table in run-cli.ts lists it. */
export interface CliCommand {
  readonly name: string;
  /** One line for `esimlab --help`. */
  readonly summary: string;
  /** The whole `esimlab <name> --help` text; its first line is the synopsis. */
  readonly usage: string;
  /**
   * Runs the command and returns its exit code: 0 ok, 1 failure. Throws `CliUsageError`
   * (exit 2) for a bad flag and `CliFailure` (exit 1) for a failure outside the command line.
   */
  run(args: readonly string[], io: CliIo): number | Promise<number>;
}
