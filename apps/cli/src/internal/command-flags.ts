import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { closestMatch } from '@esimlab/domain';
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
    // Compared without the dashes every flag shares, so the typo budget counts only the name.
    const near = closestMatch(flag.replace(/^-+/, ''), known);
    return new CliUsageError(
      `unknown flag ${flag}${near ? `; did you mean --${near}?` : ''} (see --help for the flags)`,
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
