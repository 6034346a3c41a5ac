import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { CliUsageError } from '../cli-error.ts';

type FlagValues<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ options: O; strict: true; allowPositionals: false }>
>['values'];

/**
 * `util.parseArgs` in strict mode, with its errors rewritten as one line naming the flag and
 * the fix (Node's wording suggests `--` and positionals, which no esimlab command takes).
 */
export function parseCommandFlags<const O extends ParseArgsOptionsConfig>(
  args: readonly string[],
  options: O,
): FlagValues<O> {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw flagError(error, args, Object.keys(options));
  }
}

/** A parseArgs error (`ERR_PARSE_ARGS_*`) as a `CliUsageError`; anything else as it is. */
export function flagError(
  error: unknown,
  args: readonly string[],
  known: readonly string[],
): Error {
  const code = String((error as { code?: unknown } | null)?.code);
  if (!code.startsWith('ERR_PARSE_ARGS')) return error as Error;
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'(-[^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted !== undefined) {
    const flag = quoted.split('=')[0] ?? quoted;
    const near = closest(
      flag,
      known.map((name) => `--${name}`),
    );
    return new CliUsageError(
      `unknown flag ${flag}${near ? `; did you mean ${near}?` : ''} (see --help for the flags)`,
    );
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && quoted !== undefined) {
    const flag = quoted.split(' ')[0] ?? quoted;
    return /does not take an argument/.test(message)
      ? new CliUsageError(`${flag} is a switch and takes no value; write just ${flag}`)
      : new CliUsageError(
          `${flag} needs a value, e.g. ${flag} <value> (write ${flag}=<value> for a value that starts with "-")`,
        );
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const positional = args.find((arg) => !arg.startsWith('-')) ?? '';
    return new CliUsageError(
      `unexpected argument "${positional}"; every option is a flag (see --help for the flags)`,
    );
  }
  return new CliUsageError(`${message} (see --help)`);
}

function closest(flag: string, candidates: readonly string[]): string | undefined {
  let best: { flag: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(flag, candidate);
    if (distance <= 2 && (!best || distance < best.distance)) best = { flag: candidate, distance };
  }
  return best?.flag;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
