import { isIPv6 } from 'node:net';
import { join, resolve } from 'node:path';
import { type CarrierId, carrierIds, isCarrierId } from '@esimlab/domain';
import { type FaultRule, parseFaultRules } from '@esimlab/faults';
import {
  CarrierConfigError,
  DEFAULT_DATA_DIR,
  DEFAULT_HOST,
  defaultPorts,
  isLoopbackHost,
  type LogLevel,
  portSetting,
  type StoreChoice,
} from '../config/carrier-config.ts';
import { type CrashPoint, crashPoints, isCrashPoint } from '../runtime/crash-points.ts';
import { defaultBackoff, type RestartBackoff, SupervisedCarrier } from './supervised-carrier.ts';

export interface StartCarriersOptions<C extends CarrierId> {
  /** Default: all three. */
  readonly carriers?: readonly C[];
  /** Default 4101/4102/4103; 0 picks any free port, kept across restarts. */
  readonly ports?: Partial<Record<CarrierId, number>>;
  /** Default 127.0.0.1; any other address needs `adminToken`. */
  readonly host?: string;
  /** Default sqlite: `<dataDir>/<carrier>.sqlite`, kept across restarts. */
  readonly store?: StoreChoice;
  /** Default `./.esimlab`, resolved against the current directory. */
  readonly dataDir?: string;
  readonly adminToken?: string;
  /** The carriers' pino level; default info. */
  readonly logLevel?: LogLevel;
  /** Each line a carrier printed, and each supervisor line; default: prefixed to stdout. */
  readonly onLog?: (source: C | 'supervisor', line: string) => void;
  /** How long a carrier may take to listen and answer `GET /healthz`; default 10 s. */
  readonly startTimeoutMs?: number;
  /** How long in-flight requests may run after `stop()` before they are cut; default 5 s. */
  readonly drainGraceMs?: number;
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
  /** Base URL of each carrier, e.g. `http://127.0.0.1:4101`. */
  readonly urls: Readonly<Record<C, string>>;
  /** Absolute. */
  readonly dataDir: string;
  readonly store: StoreChoice;
  /** Absolute path of each carrier's database; absent for the memory store. */
  readonly sqliteFiles?: Readonly<Record<C, string>>;
  /** The current process id of each carrier; undefined while one is being restarted. */
  pids(): Readonly<Record<C, number | undefined>>;
  /** SIGTERM to every carrier (they drain in-flight requests), SIGKILL if one hangs; no restarts. */
  stop(): Promise<void>;
}

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
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  validate({ carriers, host, store, ports: options.ports ?? {}, adminToken: options.adminToken });
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
  const onLog = options.onLog ?? printLine;
  const drainGraceMs = options.drainGraceMs ?? 5000;

  const supervised = carriers.map(
    (carrier) =>
      new SupervisedCarrier({
        config: {
          carrier,
          host,
          port: options.ports?.[carrier] ?? defaultPorts[carrier],
          store:
            store === 'sqlite'
              ? { kind: 'sqlite', file: sqliteFileOf(dataDir, carrier) }
              : { kind: 'memory' },
          ...(options.adminToken !== undefined ? { adminToken: options.adminToken } : {}),
          logLevel: options.logLevel ?? 'info',
          drainGraceMs,
          ...(faultSeed !== undefined ? { faultSeed } : {}),
        },
        urlHost: urlHost(host),
        onOutput: (line) => onLog(carrier, line),
        onSupervisorLine: (line) => onLog('supervisor', line),
        backoff,
        ...(armed[carrier] !== undefined ? { firstStartCrashPoints: armed[carrier] } : {}),
        ...(faultRules !== undefined ? { firstStartFaultRules: faultRules } : {}),
      }),
  );

  let stopping: Promise<void> | undefined;
  const stop = () => {
    // Past the drain grace, a carrier is cut off; the extra second is for closing its store.
    stopping ??= Promise.all(supervised.map((s) => s.stop(drainGraceMs + 5000))).then(
      () => undefined,
    );
    return stopping;
  };

  const started = await Promise.allSettled(
    supervised.map((s) => s.start(options.startTimeoutMs ?? 10_000)),
  );
  const failures = started.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
  if (failures.length > 0) {
    await stop();
    const [first, ...others] = failures;
    if (first && others.length > 0) {
      first.message += others.map((e) => `\n\nalso: ${e.message}`).join('');
    }
    throw first;
  }

  const byCarrier = <T>(value: (s: SupervisedCarrier) => T) =>
    Object.fromEntries(supervised.map((s) => [s.carrier, value(s)])) as Record<C, T>;
  return {
    urls: byCarrier((s) => s.url),
    dataDir,
    store,
    ...(store === 'sqlite'
      ? { sqliteFiles: byCarrier((s) => sqliteFileOf(dataDir, s.carrier)) }
      : {}),
    pids: () => byCarrier((s) => s.pid),
    stop,
  };
}

function validate({
  carriers,
  host,
  store,
  ports,
  adminToken,
}: {
  carriers: readonly CarrierId[];
  host: string;
  store: StoreChoice;
  ports: Partial<Record<CarrierId, number>>;
  adminToken: string | undefined;
}): void {
  const unknown = carriers.filter((c) => !isCarrierId(c));
  if (carriers.length === 0 || unknown.length > 0 || new Set(carriers).size !== carriers.length) {
    throw new CarrierConfigError(
      `carriers must be distinct ids among ${carrierIds.join(', ')}; got [${carriers.join(', ')}]`,
    );
  }
  for (const carrier of carriers) {
    const port = ports[carrier];
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
      throw new CarrierConfigError(
        `the ${carrier} port (${portSetting(carrier).flag}) must be an integer from 0 to 65535; got ${port}`,
      );
    }
  }
  if (store !== 'sqlite' && store !== 'memory') {
    throw new CarrierConfigError(`store must be sqlite or memory; got "${String(store)}"`);
  }
  if (!isLoopbackHost(host) && adminToken === undefined) {
    throw new CarrierConfigError(
      `binding ${host} exposes the control plane (/_sim/*) beyond this machine; pass an adminToken or bind ${DEFAULT_HOST}`,
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

function printLine(source: string, line: string): void {
  process.stdout.write(`[${source}] ${line}\n`);
}
