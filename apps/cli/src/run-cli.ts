import { CliUsageError } from './cli-error.ts';
import { plansCommand, plansUsage } from './commands/plans.ts';
import type { CliIo } from './io.ts';

type Command = (args: readonly string[], io: CliIo) => number | Promise<number>;

const commands: Record<string, { run: Command; usage: string }> = {
  plans: { run: plansCommand, usage: plansUsage },
};

const usage = `usage: esimlab <command> [options]

commands:
${Object.values(commands)
  .map((c) => `  ${c.usage.split('\n')[0]}`)
  .join('\n')}

Run "esimlab <command> --help" for a command's options.`;

/** Runs one CLI invocation and returns its exit code: 0 ok, 1 failure, 2 usage error. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    io.err(`esimlab: unknown command "${name}"\n\n${usage}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof CliUsageError || isParseArgsError(error)) {
      io.err(`esimlab ${name}: ${(error as Error).message}\n\n${command.usage}`);
      return 2;
    }
    throw error;
  }
}

// node:util parseArgs throws TypeErrors tagged with ERR_PARSE_ARGS_* codes for unknown or malformed flags.
function isParseArgsError(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')
  );
}
