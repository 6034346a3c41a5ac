/**
 * Entry point of one carrier process, spawned by the supervisor (`startCarriers`): it waits
 * for its config over IPC, serves one carrier until SIGTERM/SIGINT or until the supervisor
 * goes away, then drains and exits 0. A crash point exits with `CRASH_EXIT_CODE`, any other
 * unexpected error with 1; the supervisor restarts it either way.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getHeapStatistics } from 'node:v8';
import { openStore, type Store } from '@esimlab/store';
import pino, { type Logger } from 'pino';
import { type CarrierApp, createCarrierApp } from '../app/create-carrier-app.ts';
import { carrierMigrations } from '../persistence/collections.ts';
import {
  type CarrierProcessConfig,
  type CarrierProcessMessage,
  isStartMessage,
} from './carrier-process-protocol.ts';

interface Running {
  store?: Store;
  carrierApp?: CarrierApp;
  server?: Server;
}

const running: Running = {};
let started: CarrierProcessConfig | undefined;
let logger: Logger | undefined;
let startup: Promise<void> | undefined;
let draining = false;

process.on('uncaughtException', (error) => die(error));
process.on('unhandledRejection', (error) => die(error));

if (!process.send) {
  process.stderr.write(
    'carrier-process.ts is started by the launcher; run `esimlab-carriers` (or `pnpm start`) instead\n',
  );
  process.exit(2);
}

process.once('message', (message) => {
  if (!isStartMessage(message)) {
    die(new Error(`expected a start message, got ${JSON.stringify(message)}`));
    return;
  }
  started = message.config;
  startup = serve(message.config).catch(die);
});
process.once('SIGTERM', () => void drain('SIGTERM'));
process.once('SIGINT', () => void drain('SIGINT'));
// The supervisor died without stopping us: do not linger holding the port and the database.
process.once('disconnect', () => void drain('supervisor disconnected'));

async function serve(config: CarrierProcessConfig): Promise<void> {
  // Replicas after the first are told apart in `ps`: `esimlab-carrier att/1`.
  const { index } = config.replica;
  process.title = `esimlab-carrier ${config.carrier}${index > 0 ? `/${index}` : ''}`;
  logger = pino(
    {
      level: config.logLevel,
      base: { carrier: config.carrier, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    // Sync: a line logged just before an exit (a crash point) still reaches the supervisor, and
    // no exit-time flush spins on EPIPE when the supervisor has gone (sonic-boom's flushSync would).
    pino.destination({ dest: 1, sync: true }),
  );
  running.store = await openCarrierStore(config);
  running.carrierApp = await createCarrierApp({
    carrier: config.carrier,
    store: running.store,
    logger,
    // A real carrier renews at local midnight whether or not anyone advances its clock.
    dueWorkEveryMs: 1000,
    ...(config.adminToken !== undefined ? { adminToken: config.adminToken } : {}),
    ...(config.crashPoints !== undefined ? { crashPoints: config.crashPoints } : {}),
    ...(config.faultRules !== undefined ? { faultRules: config.faultRules } : {}),
    ...(config.faultSeed !== undefined ? { faultSeed: config.faultSeed } : {}),
    replica: {
      id: config.replica.id,
      index: config.replica.index,
      ...(config.replica.replaces !== undefined ? { replaces: config.replica.replaces } : {}),
      ...(config.replica.leaseMs !== undefined ? { leaseMs: config.replica.leaseMs } : {}),
    },
  });
  const server = createServer(running.carrierApp.app);
  running.server = server;
  try {
    await listen(server, config.port, config.host);
  } catch (error) {
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    report({
      type: 'failed',
      reason: inUse ? 'port_in_use' : 'start_failed',
      message: error instanceof Error ? error.message : String(error),
    });
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const armed = running.carrierApp.context.crashPoints.armed();
  const faults = running.carrierApp.context.faults;
  logger.info(
    {
      host: config.host,
      port,
      store: storeForLog(config.store),
      replica: config.replica,
      checkNestedTransactions: config.checkNestedTransactions,
      // What V8 may hold before it fails with out-of-memory (see carrier-node-flags.ts).
      heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20),
      ...(armed.length > 0 ? { crashPoints: armed } : {}),
      ...(faults.rules().length > 0
        ? { faultRules: faults.rules().map((rule) => rule.id), faultSeed: faults.seed }
        : {}),
    },
    'listening',
  );
  report({ type: 'listening', port });
}

function openCarrierStore(config: CarrierProcessConfig): Promise<Store> {
  const { store } = config;
  const common = {
    migrations: carrierMigrations,
    detectNestedTransactions: config.checkNestedTransactions,
  };
  switch (store.kind) {
    case 'sqlite':
      return openStore({ kind: 'sqlite', file: store.file, ...common });
    case 'memory':
      return openStore({ kind: 'memory', ...common });
    case 'postgres':
      return openStore({
        kind: 'postgres',
        url: store.url,
        schema: store.schema,
        applicationName: `esimlab ${config.replica.id}`,
        ...common,
      });
  }
}

/** The store as logged: a PostgreSQL URL may carry a password. */
function storeForLog(store: CarrierProcessConfig['store']): unknown {
  if (store.kind !== 'postgres') return store;
  try {
    const url = new URL(store.url);
    return {
      kind: 'postgres',
      server: `${url.hostname}:${url.port || 5432}${url.pathname}`,
      schema: store.schema,
    };
  } catch {
    return { kind: 'postgres', schema: store.schema };
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Stops accepting, lets in-flight requests finish (cut after the grace period), then closes. */
async function drain(reason: string): Promise<void> {
  if (draining) return;
  draining = true;
  logger?.info({ reason }, 'draining');
  await startup;
  const { server, carrierApp, store } = running;
  const graceMs = started?.drainGraceMs ?? 5000;
  const deadline = Date.now() + graceMs;
  if (server?.listening) await closeServer(server, graceMs);
  // A handler whose client hung up has no socket left to wait for: the app waits for it.
  // (At least a moment, so that one the grace ran out on is still reported.)
  await carrierApp?.close(Math.max(1, deadline - Date.now()));
  await store?.close();
  logger?.info('stopped');
  process.exit(0);
}

function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    // Keep-alive sockets without a request in flight would hold close() open until they time out.
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    const force = setTimeout(() => {
      logger?.warn({ graceMs }, 'in-flight requests outlived the drain grace period; cutting them');
      server.closeAllConnections();
    }, graceMs);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

function report(message: CarrierProcessMessage): void {
  if (process.connected) process.send?.(message);
}

function die(error: unknown): never {
  if (logger) logger.fatal({ err: error }, 'carrier process failed');
  else
    process.stderr.write(`carrier process failed: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
}
