import type { CliCommand } from './cli-command.ts';
import { CliFailure, CliUsageError } from './cli-error.ts';
import { auditCommand } from './commands/audit.ts';
import { loadCommand } from './commands/load.ts';
import { plansCommand } from './commands/plans.ts';
import { proxyCommand } from './commands/proxy.ts';
import { replayCommand } from './commands/replay.ts';
import { runCommand } from './commands/run.ts';
import { upCommand } from './commands/up.ts';
import { flagError } from './internal/command-flags.ts';
import type { CliIo } from './io.ts';

/** Every command, in the order `esimlab --help` lists them. A new command is one entry here. */
const commands: readonly CliCommand[] = [
  upCommand,
  runCommand,
  replayCommand,
  auditCommand,
  loadCommand,
  proxyCommand,
  plansCommand,
];

const nameWidth = Math.max(...commands.map((c) => c.name.length));

const usage = `usage: esimlab <command> [options]

commands:
${commands.map((c) => `  ${c.name.padEnd(nameWidth)}  ${c.summary}`).join('\n')}

Run "esimlab <command> --help" for a command's options.`;

/** Runs one CLI invocation and returns its exit code: 0 ok, 1 failure, 2 usage error. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = withoutSeparator(argv);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage);
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`esimlab: unknown command "${name}"\n\n${usage}`);
    return 2;
  }
  const args = withoutSeparator(rest);
  if (args.includes('--help') || args.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (caught) {
    const error = flagError(caught, args, []);
    if (error instanceof CliUsageError) {
      io.err(`esimlab ${name}: ${error.message}`);
      io.err(`Run "esimlab ${name} --help" for its options.`);
      return error.exitCode;
    }
    if (error instanceof CliFailure) {
      io.err(`esimlab ${name}: ${error.message}`);
      return error.exitCode;
    }
    throw error;
  }
}

// `pnpm esimlab -- up` and `pnpm esimlab up -- --store memory` may pass npm's `--` separator
// through; no esimlab command takes positionals, so it means nothing here.
function withoutSeparator(args: readonly string[]): readonly string[] {
  return args[0] === '--' ? args.slice(1) : args;
}
