import {
  type CarrierConfig,
  CarrierConfigError,
  CarrierStartError,
  carrierUsage,
  parseCarrierConfig,
  renderBanner,
  startCarriers,
} from '@esimlab/carrier';
import type { CliCommand } from '../cli-command.ts';
import { CliFailure, CliUsageError } from '../cli-error.ts';
import { cwdOf, envOf, untilStopped } from '../io.ts';

// The flags are the carriers' own (one parser, in @esimlab/carrier); only the header differs.
const carrierOptions = carrierUsage.slice(Math.max(0, carrierUsage.indexOf('  --host')));

const usage = `esimlab up [--carriers att,tmobile,verizon] [--store memory|sqlite|postgres://…]
           [--replicas N] [--schema-prefix NAME] [--data-dir DIR] [--faults PRESET|FILE]
           [--fault-seed N] [--host H] [--att-port N] [--tmobile-port N] [--verizon-port N]
           [--admin-token T] [--log-level L] [--crash-point P]

Starts the mock carriers, each in its own process (restarted if it exits), prints where they
listen, and keeps them up until Ctrl-C or SIGTERM, then stops them cleanly (exit code 0).
On PostgreSQL, --replicas N runs N processes per carrier sharing its schema: replica i
listens on the carrier's port + 100·i (att: 4101, 4201, 4301), and any of them serves any
request with the same guarantees. Every option can also be set in the environment; a flag
wins over its variable.

${carrierOptions}`;

/** `esimlab up`: the three mock carriers, supervised, until asked to stop. */
export const upCommand: CliCommand = {
  name: 'up',
  summary: 'start the mock carriers (att, tmobile, verizon) until Ctrl-C',
  usage,
  async run(args, io) {
    const config = readConfig(args, envOf(io), cwdOf(io));
    // Listening before the carriers start, so a Ctrl-C during start-up still stops them.
    const stopped = untilStopped(io);
    const running = await startCarriers({
      carriers: config.carriers,
      ports: config.ports,
      replicas: config.replicas,
      host: config.host,
      store: config.store,
      dataDir: config.dataDir,
      logLevel: config.logLevel,
      ...(config.adminToken !== undefined ? { adminToken: config.adminToken } : {}),
      crashPoints: config.crashPoints,
      ...(config.faults !== undefined ? { faults: config.faults.rules } : {}),
      ...(config.faultSeed !== undefined ? { faultSeed: config.faultSeed } : {}),
      onLog: (source, line, replica) =>
        io.out(
          `[${config.replicas === 1 || source === 'supervisor' ? source : `${source}/${replica}`}] ${line}`,
        ),
    }).catch((error: unknown) => {
      if (error instanceof CarrierStartError) {
        throw new CliFailure('carrier_start_failed', error.message);
      }
      if (error instanceof CarrierConfigError) throw new CliUsageError(error.message);
      throw error;
    });

    if (config.faults !== undefined) io.out(faultsLine(config));
    io.out(renderBanner(running, { adminToken: config.adminToken }));
    const reason = await stopped;
    io.out(`[supervisor] ${reason}: stopping the carriers`);
    await running.stop();
    io.out('[supervisor] stopped');
    return 0;
  },
};

function readConfig(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): CarrierConfig {
  try {
    return parseCarrierConfig(args, env, cwd);
  } catch (error) {
    if (error instanceof CarrierConfigError) throw new CliUsageError(error.message);
    throw error;
  }
}

function faultsLine(config: CarrierConfig): string {
  const rules = config.faults?.rules.length ?? 0;
  const seed =
    config.faultSeed === undefined
      ? "each carrier's stored seed, else a random one (fix it with --fault-seed)"
      : `seed ${config.faultSeed}`;
  return `faults: ${config.faults?.source} (${rules} rule${rules === 1 ? '' : 's'}) armed on ${config.carriers.join(', ')}; ${seed}; see GET /_sim/faults`;
}
