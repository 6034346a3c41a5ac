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
