import { SimulationError } from '../simulation-error.ts';

/**
 * The script's arguments, without the `--` that `pnpm <script> -- <args>` passes along
 * (pnpm 12 forwards it; `parseArgs` would take everything after it as positionals).
 */
export function commandLineArgs(): string[] {
  const args = process.argv.slice(2);
  return args[0] === '--' ? args.slice(1) : args;
}

/** The one line a command prints for an error it exits 2 on: flag mistakes point at --help. */
export function commandLineError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    return `${(error as Error).message} (see --help)`;
  }
  return String(error);
}

/**
 * Runs a command's `main` and sets the exit code it returns; a run-option mistake prints its
 * message and the usage, any other error its one line, and exits 2.
 */
export function runCommand(main: () => Promise<number>, usage: string): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        error instanceof SimulationError
          ? `${error.message}\n${usage}\n`
          : `${commandLineError(error)}\n`,
      );
      process.exitCode = 2;
    },
  );
}
