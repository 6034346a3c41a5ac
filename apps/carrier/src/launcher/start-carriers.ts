import { isIPv6 } from 'node:net';
import { join, resolve } from 'node:path';
import { type CarrierId, carrierIds, isCarrierId } from '@esimlab/domain';
import { type FaultRule, parseFaultRules } from '@esimlab/faults';
import {
  CarrierConfigError,
  checkReplicaPorts,
  checksNestedTransactions,
  DEFAULT_DATA_DIR,
  DEFAULT_HOST,
  defaultPorts,
  isLoopbackHost,
  type LogLevel,
  MAX_REPLICAS,
  type PortChoice,
  portSetting,
  postgresSchemaOf,
  replicaPorts,
  replicasNeedPostgres,
  type StoreChoice,
} from '../config/carrier-config.ts';
import { MIN_REPLICA_LEASE_MS } from '../replication/replica.ts';
import { type CrashPoint, crashPoints, isCrashPoint } from '../runtime/crash-points.ts';
import type { CarrierProcessConfig } from './carrier-process-protocol.ts';
import { defaultBackoff, type RestartBackoff, SupervisedCarrier } from './supervised-carrier.ts';

export interface StartCarriersOptions<C extends CarrierId> {
  /** Default: all three. */
  readonly carriers?: readonly C[];
  /**
   * Default 4101/4102/4103; 0 picks any free port, kept across restarts. Replica i of a
   * carrier listens on its port + 100·i, unless the carrier is given one port per replica.
   */
  readonly ports?: Partial<Record<CarrierId, PortChoice>>;
  /** Default 127.0.0.1; any other address needs `adminToken`. */
  readonly host?: string;
  /**
   * Default sqlite: `<dataDir>/<carrier>.sqlite`, kept across restarts. PostgreSQL keeps each
   * carrier in schema `<schemaPrefix>_<carrier>` of the database, shared by its replicas.
   */
  readonly store?: StoreChoice;
  /**
   * Processes per carrier, default 1. More than one needs the PostgreSQL store: they share the
   * carrier's schema, and any of them answers any request with the same guarantees.
   */
  readonly replicas?: number;
  /**
   * Replicas: a replica whose heartbeat is older than this is presumed dead, and the others
   * finish the payments it left half done; default 10 s. A replica the supervisor restarts
   * hands its predecessor's work over at once.
   */
  readonly replicaLeaseMs?: number;
  /** Default `./.esimlab`, resolved against the current directory. */
  readonly dataDir?: string;
  readonly adminToken?: string;
  /** The carriers' pino level; default info. */
  readonly logLevel?: LogLevel;
  /**
   * Each line a carrier printed, and each supervisor line; default: prefixed to stdout as
   * `[att]`, or `[att/1]` when carriers run several replicas. `replica` is the printing
   * replica's slot (0 for supervisor lines).
   */
  readonly onLog?: (source: C | 'supervisor', line: string, replica: number) => void;
  /**
   * How long a carrier may take to listen and answer `GET /healthz`, from its turn to start
   * (first starts take turns, one per core); default 30 s, for busy CI machines.
   */
  readonly startTimeoutMs?: number;
  /** How long in-flight requests may run after `stop()` before they are cut; default 5 s. */
  readonly drainGraceMs?: number;
  /**
   * The stores refuse a transaction nested in another (`NestedTransactionError`) instead of
   * hanging on it; default on only under `NODE_ENV` test or development (`checksNestedTransactions`).
   */
  readonly checkNestedTransactions?: boolean;
  /**
   * Saga crash points armed in each carrier's first process, once its start-up recovery is
   * done. Each fires once: a crashed carrier is restarted without them.
   */
  readonly crashPoints?: Partial<Record<C, readonly CrashPoint[]>>;
  /**
   * Fault rules each carrier's first process starts with, replacing its stored ones (a
   * restart keeps what it stored). Validated as `POST /_sim/faults` validates them.
   */
  readonly faults?: readonly FaultRule[];
  /** Seed of every carrier's fault rolls; default each carrier's stored seed, else random. */
  readonly faultSeed?: number;
  /** Delay before restarting a carrier that exited: default 100 ms, doubling to 5 s, reset after 30 s up. */
  readonly restartBackoff?: Partial<RestartBackoff>;
}

export interface RunningCarriers<C extends CarrierId> {
  /** Base URL of each carrier (its replica 0), e.g. `http://127.0.0.1:4101`. */
  readonly urls: Readonly<Record<C, string>>;
  /** Base URL of every replica of each carrier, by slot: any of them serves any request. */
  readonly replicaUrls: Readonly<Record<C, readonly string[]>>;
  /** Processes per carrier. */
  readonly replicas: number;
  /** Absolute. */
  readonly dataDir: string;
  readonly store: StoreChoice;
  /** Absolute path of each carrier's database; only for the SQLite store. */
  readonly sqliteFiles?: Readonly<Record<C, string>>;
  /** Each carrier's PostgreSQL schema; only for the PostgreSQL store. */
  readonly postgresSchemas?: Readonly<Record<C, string>>;
  /** The current process id of each carrier (its replica 0); undefined while one is being restarted. */
  pids(): Readonly<Record<C, number | undefined>>;
  /**
   * The current process id of every replica of each carrier, by slot; undefined while one is
   * being restarted. SIGKILL one to test takeover: the supervisor restarts it after its backoff.
   */
  replicaPids(): Readonly<Record<C, readonly (number | undefined)[]>>;
  /** SIGTERM to every carrier (they drain in-flight requests), SIGKILL if one hangs; no restarts. */
  stop(): Promise<void>;
}

const DEFAULT_START_TIMEOUT_MS = 30_000;

/** Where a carrier keeps its state in the SQLite store. */
export const sqliteFileOf = (dataDir: string, carrier: CarrierId): string =>
  join(dataDir, `${carrier}.sqlite`);

/**
 * Starts each carrier in its own supervised process and resolves once all of them listen and
 * answer `GET /healthz`. A carrier that later exits is restarted on the same port. If one
 * cannot start, the others are stopped and a `CarrierStartError` names it and the fix.
 */
export async function startCarriers<C extends CarrierId = CarrierId>(
  options: StartCarriersOptions<C> = {},
): Promise<RunningCarriers<C>> {
  const carriers = (options.carriers ?? carrierIds) as readonly C[];
  const host = options.host ?? DEFAULT_HOST;
  const store = options.store ?? 'sqlite';
  const replicas = options.replicas ?? 1;
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  validate({
    carriers,
    host,
    store,
    replicas,
    ports: options.ports ?? {},
    adminToken: options.adminToken,
    replicaLeaseMs: options.replicaLeaseMs,
  });
  const armed = validateCrashPoints(carriers, options.crashPoints ?? {});
  const faultRules = validateFaults(options.faults);
  const { faultSeed } = options;
  if (
    faultSeed !== undefined &&
    !(Number.isInteger(faultSeed) && faultSeed >= 0 && faultSeed < 2 ** 32)
  ) {
    throw new CarrierConfigError(
      `faultSeed must be an integer from 0 to 4294967295; got ${faultSeed}`,
    );
  }
  const backoff = restartBackoffOf(options.restartBackoff ?? {});
  const onLog = options.onLog ?? printLine(replicas);
  const drainGraceMs = options.drainGraceMs ?? 5000;
  const checkNestedTransactions = options.checkNestedTransactions ?? checksNestedTransactions();

  const storeOf = (carrier: C): CarrierProcessConfig['store'] => {
    if (store === 'sqlite') return { kind: 'sqlite', file: sqliteFileOf(dataDir, carrier) };
    if (store === 'memory') return { kind: 'memory' };
    return { kind: 'postgres', url: store.url, schema: postgresSchemaOf(store, carrier) };
  };
  const label = (carrier: C, replica: number) =>
    replicas === 1 ? carrier : `${carrier}/${replica}`;
  // Carrier by carrier, slot by slot: `bySlot[i]` holds replica i of every carrier.
  const bySlot = Array.from({ length: replicas }, (_, replica) =>
    carriers.map(
      (carrier) =>
        new SupervisedCarrier({
          config: {
            carrier,
            host,
            port: replicaPorts(options.ports?.[carrier] ?? defaultPorts[carrier], replicas)[
              replica
            ] as number,
            store: storeOf(carrier),
            ...(options.adminToken !== undefined ? { adminToken: options.adminToken } : {}),
            logLevel: options.logLevel ?? 'info',
            drainGraceMs,
            checkNestedTransactions,
            ...(faultSeed !== undefined ? { faultSeed } : {}),
          },
          replica: {
            index: replica,
            ...(options.replicaLeaseMs !== undefined ? { leaseMs: options.replicaLeaseMs } : {}),
          },
          label: label(carrier, replica),
          urlHost: urlHost(host),
          onOutput: (line) => onLog(carrier, line, replica),
          onSupervisorLine: (line) => onLog('supervisor', line, 0),
          backoff,
          ...(armed[carrier] !== undefined ? { firstStartCrashPoints: armed[carrier] } : {}),
          ...(faultRules !== undefined ? { firstStartFaultRules: faultRules } : {}),
        }),
    ),
  );
  const supervised = bySlot.flat();

  let stopping: Promise<void> | undefined;
  const stop = () => {
    // Past the drain grace, a carrier is cut off; the extra second is for closing its store.
    stopping ??= Promise.all(supervised.map((s) => s.stop(drainGraceMs + 5000))).then(
      () => undefined,
    );
    return stopping;
  };

  // Replica 0 of every carrier first: it migrates the schema, so the others start on a ready
  // one instead of queueing on its lock, and fewer processes compete for the CPU at once.
  const failures: Error[] = [];
  for (const slot of bySlot) {
    const started = await Promise.allSettled(
      slot.map((s) => s.start(options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS)),
    );
    failures.push(...started.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : [])));
    if (failures.length > 0) break;
  }
  if (failures.length > 0) {
    await stop();
    const [first, ...others] = failures;
    if (first && others.length > 0) {
      first.message += others.map((e) => `\n\nalso: ${e.message}`).join('');
    }
    throw first;
  }

  const byCarrier = <T>(value: (carrier: C, slots: SupervisedCarrier[]) => T) =>
    Object.fromEntries(
      carriers.map((carrier, i) => [
        carrier,
        value(
          carrier,
          bySlot.map((slot) => slot[i] as SupervisedCarrier),
        ),
      ]),
    ) as Record<C, T>;
  return {
    urls: byCarrier((_, [first]) => first?.url ?? ''),
    replicaUrls: byCarrier((_, slots) => slots.map((s) => s.url)),
    replicas,
    dataDir,
    store,
    ...(store === 'sqlite'
      ? { sqliteFiles: byCarrier((carrier) => sqliteFileOf(dataDir, carrier)) }
      : {}),
    ...(typeof store === 'object'
      ? { postgresSchemas: byCarrier((carrier) => postgresSchemaOf(store, carrier)) }
      : {}),
    pids: () => byCarrier((_, [first]) => first?.pid),
    replicaPids: () => byCarrier((_, slots) => slots.map((s) => s.pid)),
    stop,
  };
}

function validate({
  carriers,
  host,
  store,
  replicas,
  ports,
  adminToken,
  replicaLeaseMs,
}: {
  carriers: readonly CarrierId[];
  host: string;
  store: StoreChoice;
  replicas: number;
  ports: Partial<Record<CarrierId, PortChoice>>;
  adminToken: string | undefined;
  replicaLeaseMs: number | undefined;
}): void {
  const unknown = carriers.filter((c) => !isCarrierId(c));
  if (carriers.length === 0 || unknown.length > 0 || new Set(carriers).size !== carriers.length) {
    throw new CarrierConfigError(
      `carriers must be distinct ids among ${carrierIds.join(', ')}; got [${carriers.join(', ')}]`,
    );
  }
  validateStore(store);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > MAX_REPLICAS) {
    throw new CarrierConfigError(
      `replicas must be a whole number from 1 to ${MAX_REPLICAS}; got ${replicas}`,
    );
  }
  if (replicas > 1 && typeof store === 'string') throw replicasNeedPostgres('replicas', store);
  if (
    replicaLeaseMs !== undefined &&
    !(Number.isInteger(replicaLeaseMs) && replicaLeaseMs >= MIN_REPLICA_LEASE_MS)
  ) {
    throw new CarrierConfigError(
      `replicaLeaseMs must be whole milliseconds ≥ ${MIN_REPLICA_LEASE_MS}; got ${replicaLeaseMs}`,
    );
  }
  for (const carrier of carriers) {
    const choice = ports[carrier];
    const list = choice === undefined ? [] : typeof choice === 'number' ? [choice] : choice;
    for (const port of list) {
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new CarrierConfigError(
          `the ${carrier} port (${portSetting(carrier).flag}) must be an integer from 0 to 65535, or one per replica; got ${JSON.stringify(choice)}`,
        );
      }
    }
  }
  checkReplicaPorts(ports, carriers, replicas);
  if (!isLoopbackHost(host) && adminToken === undefined) {
    throw new CarrierConfigError(
      `binding ${host} exposes the control plane (/_sim/*) beyond this machine; pass an adminToken or bind ${DEFAULT_HOST}`,
    );
  }
}

function validateStore(store: StoreChoice): void {
  if (store === 'sqlite' || store === 'memory') return;
  if (typeof store !== 'object' || store === null || store.kind !== 'postgres') {
    throw new CarrierConfigError(
      `store must be sqlite, memory or {kind: 'postgres', url}; got ${JSON.stringify(store)}`,
    );
  }
  if (typeof store.url !== 'string' || !/^postgres(ql)?:\/\//i.test(store.url)) {
    throw new CarrierConfigError(
      'store.url must be a PostgreSQL URL such as postgres://user@host:5432/database',
    );
  }
  if (store.schemaPrefix !== undefined && !/^[a-z][a-z0-9_]{0,54}$/.test(store.schemaPrefix)) {
    throw new CarrierConfigError(
      `store.schemaPrefix must start with a lower-case letter and hold only a-z, 0-9 and _ (at most 55 characters); got ${JSON.stringify(store.schemaPrefix)}`,
    );
  }
}

function validateCrashPoints<C extends CarrierId>(
  carriers: readonly C[],
  armed: Partial<Record<C, readonly CrashPoint[]>>,
): Partial<Record<C, readonly CrashPoint[]>> {
  for (const [carrier, points] of Object.entries(armed) as [string, unknown][]) {
    if (points === undefined) continue;
    if (!(carriers as readonly string[]).includes(carrier)) {
      throw new CarrierConfigError(
        `crashPoints names ${carrier}, which is not started (carriers: ${carriers.join(', ')})`,
      );
    }
    const unknown = Array.isArray(points) ? points.filter((p) => !isCrashPoint(p)) : [points];
    if (unknown.length > 0) {
      throw new CarrierConfigError(
        `crashPoints.${carrier} must list crash points among ${crashPoints.join(', ')}; got ${JSON.stringify(unknown)}`,
      );
    }
  }
  return armed;
}

function validateFaults(faults: readonly FaultRule[] | undefined): FaultRule[] | undefined {
  if (faults === undefined) return undefined;
  const parsed = parseFaultRules(faults, { field: 'faults' });
  if (parsed.ok) return parsed.value;
  const [first, ...others] = parsed.error;
  throw new CarrierConfigError(
    `${first?.field}: ${first?.message}${others.length > 0 ? ` (and ${others.length} more)` : ''}`,
  );
}

function restartBackoffOf(overrides: Partial<RestartBackoff>): RestartBackoff {
  const backoff = { ...defaultBackoff, ...overrides };
  const valid = (ms: number) => Number.isInteger(ms) && ms >= 0;
  if (
    !valid(backoff.initialMs) ||
    !valid(backoff.maxMs) ||
    !valid(backoff.resetAfterMs) ||
    backoff.initialMs > backoff.maxMs
  ) {
    throw new CarrierConfigError(
      `restartBackoff needs whole milliseconds ≥ 0 with initialMs ≤ maxMs; got ${JSON.stringify(overrides)}`,
    );
  }
  return backoff;
}

/** A host a client can dial: wildcard binds are reached over loopback; IPv6 needs brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return isIPv6(host) ? `[${host}]` : host;
}

function printLine(replicas: number): (source: string, line: string, replica: number) => void {
  return (source, line, replica) => {
    const label = replicas === 1 || source === 'supervisor' ? source : `${source}/${replica}`;
    process.stdout.write(`[${label}] ${line}\n`);
  };
}
