/**
 * `esimlab-carriers` (and `pnpm start`): starts the mock carriers with the config from flags
 * and `ESIMLAB_*` variables, prints where they are, and drains them on SIGTERM/SIGINT.
 * Exit codes: 0 after a clean stop, 1 if a carrier could not start, 2 for a bad flag or variable.
 */
import { CarrierConfigError, readCarrierCommand } from './config/carrier-config.ts';
import { renderBanner } from './launcher/banner.ts';
import { CarrierStartError } from './launcher/carrier-start-error.ts';
import { startCarriers } from './launcher/start-carriers.ts';

const name = 'esimlab-carriers';

let command: ReturnType<typeof readCarrierCommand>;
try {
  command = readCarrierCommand();
} catch (error) {
  if (!(error instanceof CarrierConfigError)) throw error;
  process.stderr.write(`${name}: ${error.message}\nRun "${name} --help" for every option.\n`);
  process.exit(error.exitCode);
}

if (command.kind === 'help') {
  process.stdout.write(`${command.usage}\n`);
  process.exit(0);
}

const { config } = command;
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
}).catch((error: unknown) => {
  if (!(error instanceof CarrierStartError || error instanceof CarrierConfigError)) throw error;
  process.stderr.write(`${name}: ${error.message}\n`);
  process.exit(error instanceof CarrierConfigError ? error.exitCode : 1);
});

process.stdout.write(`${renderBanner(running, { adminToken: config.adminToken })}\n`);

const shutDown = (signal: NodeJS.Signals) => {
  process.stdout.write(`[supervisor] ${signal}: stopping the carriers\n`);
  void running.stop().then(() => process.exit(0));
};
// `once`: a second Ctrl-C falls back to Node's default and exits at once; the carriers
// then see their supervisor disconnect and drain on their own.
process.once('SIGTERM', shutDown);
process.once('SIGINT', shutDown);
