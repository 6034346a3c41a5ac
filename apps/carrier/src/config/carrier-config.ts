import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type CarrierId, carrierIds, closestMatch, isCarrierId } from '@esimlab/domain';
import {
  type FaultRule,
  faultPresetNames,
  faultPresets,
  isFaultPresetName,
  parseFaultPlanInput,
} from '@esimlab/faults';
import { type CrashPoint, crashPoints, isCrashPoint } from '../runtime/crash-points.ts';

/** How the carriers run: everything `esimlab-carriers` takes from flags and `ESIMLAB_*` variables. */
export interface CarrierConfig {
  readonly host: string;
  /**
   * Port per carrier; 0 means any free port. With replicas, replica i listens on port + 100·i,
   * unless the carrier was given one port per replica.
   */
  readonly ports: Readonly<Record<CarrierId, PortChoice>>;
  /** Processes per carrier, sharing its PostgreSQL schema; 1 unless the store is PostgreSQL. */
  readonly replicas: number;
  /** The carriers to start, in catalog order. */
  readonly carriers: readonly CarrierId[];
  /** Absolute; the SQLite files live here. */
  readonly dataDir: string;
  readonly store: StoreChoice;
  readonly adminToken: string | undefined;
  readonly logLevel: LogLevel;
  /**
   * Saga crash points to arm in each carrier's first process (`--crash-point`). Each fires
   * once: the supervisor restarts a crashed carrier without them, or it would crash forever.
   */
  readonly crashPoints: CrashPointsByCarrier;
  /** Fault rules every carrier's first process starts with (`--faults`); restarts keep their own. */
  readonly faults: StartupFaults | undefined;
  /** Seed of the fault rules' rolls (`--fault-seed`, else the `--faults` file's `seed`). */
  readonly faultSeed: number | undefined;
}

/** The rules `--faults` named: a preset or a JSON file. */
export interface StartupFaults {
  /** The preset name, or the file's absolute path. */
  readonly source: string;
  readonly rules: readonly FaultRule[];
}

export type CrashPointsByCarrier = Readonly<Partial<Record<CarrierId, readonly CrashPoint[]>>>;

/** One port (replica i on port + 100·i), or one port per replica. */
export type PortChoice = number | readonly number[];

export type StoreChoice = 'memory' | 'sqlite' | PostgresStoreChoice;

/** A PostgreSQL database the carriers share; each carrier has a schema of its own in it. */
export interface PostgresStoreChoice {
  readonly kind: 'postgres';
  /** `postgres://user[:password]@host[:port]/database`. */
  readonly url: string;
  /** Carrier `att` keeps its tables in schema `<schemaPrefix>_att`; default `esimlab`. */
  readonly schemaPrefix?: string;
}

export const DEFAULT_SCHEMA_PREFIX = 'esimlab';
/** How far apart a carrier's replicas listen by default: att 4101, 4201, 4301. */
export const REPLICA_PORT_STEP = 100;
export const MAX_REPLICAS = 16;

/** The PostgreSQL schema of one carrier: `esimlab_att` by default. */
export const postgresSchemaOf = (store: PostgresStoreChoice, carrier: CarrierId): string =>
  `${store.schemaPrefix ?? DEFAULT_SCHEMA_PREFIX}_${carrier}`;

/** Each replica's port: the given list, or port + 100·i (0 stays 0: any free port each). */
export function replicaPorts(choice: PortChoice, replicas: number): number[] {
  if (typeof choice !== 'number') return [...choice];
  return Array.from({ length: replicas }, (_, i) =>
    choice === 0 ? 0 : choice + REPLICA_PORT_STEP * i,
  );
}

/** Where a store choice keeps state, for messages: never the password. */
export function describeStore(store: StoreChoice): string {
  if (typeof store === 'string') return store;
  try {
    const url = new URL(store.url);
    return `PostgreSQL at ${url.hostname}${url.port === '' ? '' : `:${url.port}`}${url.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

export const defaultPorts: Readonly<Record<CarrierId, number>> = {
  att: 4101,
  tmobile: 4102,
  verizon: 4103,
};

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_DATA_DIR = './.esimlab';

/** A mistake in the flags or environment: printed as a message naming the fix, exit code 2. */
export class CarrierConfigError extends Error {
  readonly code = 'config_invalid';
  readonly exitCode = 2;
}

/** The flag and the environment variable that set a carrier's port. */
export const portSetting = (carrier: CarrierId): { flag: string; env: string } => ({
  flag: `--${carrier}-port`,
  env: `ESIMLAB_${carrier.toUpperCase()}_PORT`,
});

export const carrierUsage = `usage: esimlab-carriers [options]

Starts the mock carriers, each in its own process, and restarts one that exits.
Every option can also be set in the environment; a flag wins over its variable.

  --host <address>         ESIMLAB_HOST          default ${DEFAULT_HOST}; another address needs --admin-token
  --att-port <port>        ESIMLAB_ATT_PORT      default ${defaultPorts.att}; 0 picks any free port
  --tmobile-port <port>    ESIMLAB_TMOBILE_PORT  default ${defaultPorts.tmobile}
  --verizon-port <port>    ESIMLAB_VERIZON_PORT  default ${defaultPorts.verizon}
  --carriers <ids>         ESIMLAB_CARRIERS      default ${carrierIds.join(',')}
  --data-dir <dir>         ESIMLAB_DATA_DIR      default ${DEFAULT_DATA_DIR}
  --store <kind>           ESIMLAB_STORE         sqlite (default, one file per carrier), memory, or
                                                 postgres://user@host:5432/db (a schema per carrier)
  --schema-prefix <name>   ESIMLAB_SCHEMA_PREFIX PostgreSQL: carrier att uses schema <name>_att;
                                                 default ${DEFAULT_SCHEMA_PREFIX}
  --replicas <n>           ESIMLAB_REPLICAS      processes per carrier sharing its PostgreSQL schema;
                                                 default 1. Replica i listens on the carrier's port
                                                 + ${REPLICA_PORT_STEP}·i (att: 4101, 4201, 4301), or give one
                                                 port per replica: --att-port 5001,5002
  --admin-token <token>    ESIMLAB_ADMIN_TOKEN   required as X-Sim-Admin-Token on /_sim/*
  --log-level <level>      ESIMLAB_LOG_LEVEL     ${logLevels.join('|')}; default info
  --crash-point <point>    ESIMLAB_CRASH_POINTS  make the carriers exit once at a payment-saga point, to
                                                 test recovery: ${crashPoints.slice(0, 2).join(', ')},
                                                 ${crashPoints.slice(2).join(' or ')}; att:after-credit arms
                                                 one carrier only; repeatable or comma-separated. Only
                                                 the first process is armed: restarts run without it
  --faults <preset|file>   ESIMLAB_FAULTS        start with fault rules: a preset (${faultPresetNames.join(', ')})
                                                 or a JSON file of rules ([...] or {rules, seed}); a restart
                                                 keeps the rules set through /_sim/faults
  --fault-seed <n>         ESIMLAB_FAULT_SEED    seed of the fault rolls (0 to 4294967295): same seed, same
                                                 faults; default the stored seed, else random
  --help                   this text`;

interface Setting {
  readonly flag: string;
  readonly env: string;
}

const settings = {
  host: { flag: '--host', env: 'ESIMLAB_HOST' },
  carriers: { flag: '--carriers', env: 'ESIMLAB_CARRIERS' },
  dataDir: { flag: '--data-dir', env: 'ESIMLAB_DATA_DIR' },
  store: { flag: '--store', env: 'ESIMLAB_STORE' },
  schemaPrefix: { flag: '--schema-prefix', env: 'ESIMLAB_SCHEMA_PREFIX' },
  replicas: { flag: '--replicas', env: 'ESIMLAB_REPLICAS' },
  adminToken: { flag: '--admin-token', env: 'ESIMLAB_ADMIN_TOKEN' },
  logLevel: { flag: '--log-level', env: 'ESIMLAB_LOG_LEVEL' },
  crashPoints: { flag: '--crash-point', env: 'ESIMLAB_CRASH_POINTS' },
  faults: { flag: '--faults', env: 'ESIMLAB_FAULTS' },
  faultSeed: { flag: '--fault-seed', env: 'ESIMLAB_FAULT_SEED' },
} as const satisfies Record<string, Setting>;

const flagNames = [
  ...Object.values(settings).map((s) => s.flag),
  ...carrierIds.map((c) => portSetting(c).flag),
  '--help',
];

type Env = Readonly<Record<string, string | undefined>>;

/** A value and where it came from, so an error can name the flag or the variable to fix. */
interface Sourced {
  readonly value: string;
  readonly from: string;
}

/**
 * Parses the carriers' flags and environment (flags win) into a validated config.
 * Relative `--data-dir` paths resolve against `cwd`. Throws `CarrierConfigError`.
 */
export function parseCarrierConfig(
  argv: readonly string[],
  env: Env,
  cwd: string = process.cwd(),
): CarrierConfig {
  const flags = parseFlags(argv);
  const pick = (setting: Setting): Sourced | undefined => {
    const flag = flags[setting.flag.slice(2)];
    if (typeof flag === 'string') return { value: flag, from: setting.flag };
    const fromEnv = env[setting.env];
    // An empty variable is how shells unset things in a one-off `VAR= cmd`.
    if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, from: setting.env };
    return undefined;
  };

  const host = parseHost(pick(settings.host));
  const ports = Object.fromEntries(
    carrierIds.map((c) => [c, parsePort(pick(portSetting(c)), defaultPorts[c])]),
  ) as Record<CarrierId, PortChoice>;
  const carriers = parseCarriers(pick(settings.carriers));
  const dataDir = parseDataDir(pick(settings.dataDir), cwd);
  const store = parseStore(pick(settings.store), pick(settings.schemaPrefix));
  const replicas = parseReplicas(pick(settings.replicas), store);
  checkReplicaPorts(
    ports,
    carriers,
    replicas,
    (carrier) => pick(portSetting(carrier))?.from ?? portSetting(carrier).flag,
  );
  const adminToken = parseAdminToken(pick(settings.adminToken));
  const logLevel = parseLogLevel(pick(settings.logLevel));
  const crashPointFlags = flags[settings.crashPoints.flag.slice(2)];
  const crashPointsByCarrier = parseCrashPoints(
    Array.isArray(crashPointFlags)
      ? crashPointFlags.map((value) => ({ value, from: settings.crashPoints.flag }))
      : [pick(settings.crashPoints)].flatMap((source) => (source ? [source] : [])),
    carriers,
  );

  const faults = parseFaults(pick(settings.faults), cwd);
  const faultSeed = parseFaultSeed(pick(settings.faultSeed)) ?? faults?.seed;

  if (!isLoopbackHost(host) && adminToken === undefined) {
    throw new CarrierConfigError(
      `binding ${host} exposes the control plane (/_sim/*) beyond this machine; set an admin token with --admin-token or ESIMLAB_ADMIN_TOKEN, or bind ${DEFAULT_HOST}`,
    );
  }
  return {
    host,
    ports,
    replicas,
    carriers,
    dataDir,
    store,
    adminToken,
    logLevel,
    crashPoints: crashPointsByCarrier,
    faults: faults && { source: faults.source, rules: faults.rules },
    faultSeed,
  };
}

/** Whether `--help` was asked for (it wins over any other flag, valid or not). */
export const wantsHelp = (argv: readonly string[]): boolean =>
  argv.includes('--help') || argv.includes('-h');

/** What `esimlab-carriers` was asked to do, read from this process's argv, environment and cwd. */
export function readCarrierCommand():
  | { readonly kind: 'help'; readonly usage: string }
  | { readonly kind: 'start'; readonly config: CarrierConfig } {
  // `pnpm start -- --flag` passes the `--` separator through; it means nothing here.
  const argv = process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--'));
  if (wantsHelp(argv)) return { kind: 'help', usage: carrierUsage };
  // pnpm and npm run scripts in the package's folder; INIT_CWD is where the user typed the command.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  return { kind: 'start', config: parseCarrierConfig(argv, process.env, cwd) };
}

/**
 * Whether a carrier's store refuses a transaction nested in another, by default: where the
 * carrier's own code is tested or changed, `NODE_ENV` `test` (Vitest sets it) or `development`.
 * Elsewhere the check is off: on Node 20 it hooks every promise of the process, 9-24 % of the
 * CPU a top-up costs (`@esimlab/store`'s README).
 */
export function checksNestedTransactions(
  env: Readonly<Record<string, string | undefined>> = process.env,
): boolean {
  return env.NODE_ENV === 'test' || env.NODE_ENV === 'development';
}

/** Loopback addresses: reachable only from this machine, so an open control plane is fine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return (
    h === 'localhost' ||
    h === '::1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) ||
    /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
  );
}

function parseFlags(argv: readonly string[]): Record<string, string | string[] | undefined> {
  const options = Object.fromEntries(
    flagNames.map((flag) => [
      flag.slice(2),
      {
        type: flag === '--help' ? 'boolean' : 'string',
        multiple: flag === settings.crashPoints.flag,
      },
    ]),
  ) as Record<string, { type: 'string' | 'boolean'; multiple: boolean }>;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options,
      strict: true,
      allowPositionals: false,
    });
    return values as Record<string, string | string[] | undefined>;
  } catch (error) {
    throw flagError(error, argv);
  }
}

// node:util parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes; their wording names no fix.
function flagError(error: unknown, argv: readonly string[]): CarrierConfigError {
  const code = String((error as { code?: unknown }).code);
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'(-[^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted !== undefined) {
    const flag = quoted.split('=')[0] ?? quoted;
    // Compared without the dashes every flag shares, so the typo budget counts only the name.
    const near = closestMatch(
      flag.replace(/^-+/, ''),
      flagNames.map((name) => name.slice(2)),
    );
    return new CarrierConfigError(
      `unknown flag ${flag}${near ? `; did you mean --${near}?` : ''} (see --help for the flags)`,
    );
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && quoted !== undefined) {
    const flag = quoted.split(' ')[0] ?? quoted;
    return new CarrierConfigError(
      `${flag} needs a value, e.g. ${flag} <value> (write ${flag}=<value> for a value that starts with "-")`,
    );
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const positional = argv.find((a) => !a.startsWith('-')) ?? '';
    return new CarrierConfigError(
      `unexpected argument "${positional}"; every option is a flag such as --att-port 4101 (see --help)`,
    );
  }
  return new CarrierConfigError(`${message} (see --help)`);
}

function parseHost(source: Sourced | undefined): string {
  if (!source) return DEFAULT_HOST;
  const host = source.value.trim();
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  const hostname =
    /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;
  if (isIP(bare) === 0 && !hostname.test(host)) {
    throw new CarrierConfigError(
      `${source.from} must be an IP address or a host name such as ${DEFAULT_HOST}, 0.0.0.0 or ::1; got "${source.value}"`,
    );
  }
  return bare;
}

function parsePort(source: Sourced | undefined, fallback: number): PortChoice {
  if (!source) return fallback;
  const parts = source.value.split(',').map((part) => part.trim());
  const ports = parts.map((part) => (/^\d{1,5}$/.test(part) ? Number(part) : Number.NaN));
  if (ports.some((port) => !Number.isInteger(port) || port > 65535)) {
    throw new CarrierConfigError(
      `${source.from} must be a port number from 0 to 65535 (0 picks any free port), or one per replica separated by commas; got "${source.value}"`,
    );
  }
  return ports.length === 1 ? (ports[0] as number) : ports;
}

/**
 * Every replica of every started carrier needs a port of its own (0, any free port, aside):
 * a list must have one port per replica, and port + 100·i must stay a port.
 */
export function checkReplicaPorts(
  ports: Readonly<Partial<Record<CarrierId, PortChoice>>>,
  carriers: readonly CarrierId[],
  replicas: number,
  settingOf: (carrier: CarrierId) => string = (carrier) => portSetting(carrier).flag,
): void {
  const seen = new Map<number, string>();
  for (const carrier of carriers) {
    const choice = ports[carrier] ?? defaultPorts[carrier];
    const setting = settingOf(carrier);
    if (typeof choice !== 'number' && choice.length !== replicas) {
      throw new CarrierConfigError(
        `${setting} lists ${choice.length} port${choice.length === 1 ? '' : 's'} for ${replicas} replica${replicas === 1 ? '' : 's'}; give one port per replica, or one port (replica i listens on port + ${REPLICA_PORT_STEP}·i)`,
      );
    }
    replicaPorts(choice, replicas).forEach((port, replica) => {
      if (port > 65535) {
        throw new CarrierConfigError(
          `${setting} ${choice} puts replica ${replica} of ${carrier} on port ${port}, past 65535; choose a lower port, or one port per replica`,
        );
      }
      const label = replicas === 1 ? setting : `${setting} (replica ${replica} of ${carrier})`;
      const other = seen.get(port);
      if (port !== 0 && other !== undefined) {
        throw new CarrierConfigError(
          `${other} and ${label} are both ${port}; give each ${replicas === 1 ? 'carrier' : 'replica'} its own port (or 0 for any free port)`,
        );
      }
      seen.set(port, label);
    });
  }
}

function parseCarriers(source: Sourced | undefined): readonly CarrierId[] {
  if (!source) return carrierIds;
  const names = source.value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = names.filter((name) => !isCarrierId(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new CarrierConfigError(
      `${source.from} takes a comma-separated list of ${carrierIds.join(', ')}; got "${source.value}"${unknown.length > 0 ? ` (unknown: ${unknown.join(', ')})` : ''}`,
    );
  }
  return carrierIds.filter((c) => names.includes(c));
}

function parseDataDir(source: Sourced | undefined, cwd: string): string {
  if (source && source.value.trim() === '') {
    throw new CarrierConfigError(`${source.from} must name a directory; got an empty value`);
  }
  return resolve(cwd, source?.value ?? DEFAULT_DATA_DIR);
}

function parseStore(source: Sourced | undefined, prefix: Sourced | undefined): StoreChoice {
  const value = source?.value.trim() ?? 'sqlite';
  if (/^postgres(ql)?:\/\//i.test(value)) {
    return { kind: 'postgres', url: value, schemaPrefix: parseSchemaPrefix(prefix) };
  }
  if (prefix) {
    throw new CarrierConfigError(
      `${prefix.from} names PostgreSQL schemas, but the store is ${value}; pass --store postgres://… too, or leave it out`,
    );
  }
  if (value === 'memory' || value === 'sqlite') return value;
  throw new CarrierConfigError(
    `${source?.from} must be sqlite (default, one file per carrier in the data directory), memory (lost on restart) or postgres://user@host:5432/database (shared by replicas); got "${source?.value}"`,
  );
}

function parseSchemaPrefix(source: Sourced | undefined): string {
  if (!source) return DEFAULT_SCHEMA_PREFIX;
  const prefix = source.value.trim();
  // Room for `_tmobile` within PostgreSQL's 63-byte identifiers; lower case, so it needs no quoting.
  if (!/^[a-z][a-z0-9_]{0,54}$/.test(prefix)) {
    throw new CarrierConfigError(
      `${source.from} must start with a lower-case letter and hold only a-z, 0-9 and _ (at most 55 characters), e.g. esimlab; got "${source.value}"`,
    );
  }
  return prefix;
}

function parseReplicas(source: Sourced | undefined, store: StoreChoice): number {
  if (!source) return 1;
  const value = source.value.trim();
  const replicas = /^\d{1,3}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > MAX_REPLICAS) {
    throw new CarrierConfigError(
      `${source.from} must be a whole number from 1 to ${MAX_REPLICAS}; got "${source.value}"`,
    );
  }
  if (replicas > 1 && typeof store === 'string') throw replicasNeedPostgres(source.from, store);
  return replicas;
}

/** Replicas share their carrier's state, which only a database server can hold for several processes. */
export function replicasNeedPostgres(
  setting: string,
  store: 'memory' | 'sqlite',
): CarrierConfigError {
  const why =
    store === 'sqlite'
      ? 'a SQLite file belongs to one process'
      : 'the memory store lives inside one process';
  return new CarrierConfigError(
    `${setting} above 1 needs the PostgreSQL store: ${why}, so each replica would be a carrier of its own with its own state; pass --store postgres://user@host:5432/database, or run 1 replica`,
  );
}

function parseAdminToken(source: Sourced | undefined): string | undefined {
  if (!source) return undefined;
  if (source.value.trim() === '' || /\s/.test(source.value)) {
    throw new CarrierConfigError(
      `${source.from} must be a non-empty token without spaces (it is sent as the X-Sim-Admin-Token header)`,
    );
  }
  return source.value;
}

function parseLogLevel(source: Sourced | undefined): LogLevel {
  if (!source) return 'info';
  const level = source.value.trim().toLowerCase();
  if (!(logLevels as readonly string[]).includes(level)) {
    throw new CarrierConfigError(
      `${source.from} must be one of ${logLevels.join(', ')}; got "${source.value}"`,
    );
  }
  return level as LogLevel;
}

/**
 * `--crash-point` values (the flag may repeat; each value is a comma list): a bare point arms
 * every started carrier, `<carrier>:<point>` one of them.
 */
function parseCrashPoints(
  sources: readonly Sourced[],
  carriers: readonly CarrierId[],
): CrashPointsByCarrier {
  const armed = new Map<CarrierId, Set<CrashPoint>>();
  const valid = `${crashPoints.join(', ')}, optionally for one carrier as att:after-credit`;
  for (const source of sources) {
    const entries = source.value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    if (entries.length === 0) {
      throw new CarrierConfigError(`${source.from} needs a crash point: one of ${valid}`);
    }
    for (const entry of entries) {
      const colon = entry.indexOf(':');
      const prefix = colon < 0 ? undefined : entry.slice(0, colon).trim();
      const point = entry.slice(colon + 1).trim();
      if (!isCrashPoint(point)) {
        throw new CarrierConfigError(
          `${source.from} got "${entry}", which is not a crash point; use ${valid}`,
        );
      }
      if (prefix !== undefined && !isCarrierId(prefix)) {
        throw new CarrierConfigError(
          `${source.from} got "${entry}": "${prefix}" is not a carrier; use ${carrierIds.join(', ')}`,
        );
      }
      if (prefix !== undefined && !carriers.includes(prefix)) {
        throw new CarrierConfigError(
          `${source.from} got "${entry}", but ${prefix} is not started (carriers: ${carriers.join(', ')})`,
        );
      }
      for (const carrier of prefix === undefined ? carriers : [prefix]) {
        const points = armed.get(carrier) ?? new Set<CrashPoint>();
        points.add(point);
        armed.set(carrier, points);
      }
    }
  }
  return Object.fromEntries(
    carriers.flatMap((carrier) => {
      const points = armed.get(carrier);
      return points ? [[carrier, crashPoints.filter((p) => points.has(p))]] : [];
    }),
  );
}

/**
 * `--faults`: a preset name, else a path (relative to `cwd`) to a JSON file holding rules as
 * `POST /_sim/faults` takes them. A bad rule is reported with its index and field.
 */
function parseFaults(
  source: Sourced | undefined,
  cwd: string,
): (StartupFaults & { readonly seed?: number }) | undefined {
  if (!source) return undefined;
  const value = source.value.trim();
  if (isFaultPresetName(value)) return { source: value, rules: faultPresets[value].rules };
  const file = resolve(cwd, value);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CarrierConfigError(
      `${source.from} got "${source.value}", which is neither a fault preset (${faultPresetNames.join(', ')}) nor a readable file (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CarrierConfigError(
      `${source.from}: ${file} is not valid JSON (${(error as Error).message}); write an array of fault rules or {rules, seed}`,
    );
  }
  const parsed = parseFaultPlanInput(json);
  if (!parsed.ok) {
    const [first, ...others] = parsed.error;
    const more = others.length > 0 ? ` (and ${others.length} more)` : '';
    throw new CarrierConfigError(
      `${source.from}: ${file}: ${first?.field}: ${first?.message}${more}; fix the rule and start again`,
    );
  }
  return { source: file, ...parsed.value };
}

function parseFaultSeed(source: Sourced | undefined): number | undefined {
  if (!source) return undefined;
  const value = source.value.trim();
  const seed = /^\d{1,10}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(seed) || seed > 2 ** 32 - 1) {
    throw new CarrierConfigError(
      `${source.from} must be an integer from 0 to 4294967295; got "${source.value}"`,
    );
  }
  return seed;
}
