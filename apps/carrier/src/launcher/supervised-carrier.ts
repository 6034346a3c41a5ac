import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { CarrierId } from '@esimlab/domain';
import type { FaultRule } from '@esimlab/faults';
import { portSetting } from '../config/carrier-config.ts';
import type { CrashPoint } from '../runtime/crash-points.ts';
import { withDeadline } from '../runtime/deadline.ts';
import { carrierNodeFlags } from './carrier-node-flags.ts';
import { carrierProcessBundle } from './carrier-process-bundle.ts';
import {
  type CarrierProcessConfig,
  type CarrierProcessMessage,
  isCarrierProcessMessage,
  type StartMessage,
} from './carrier-process-protocol.ts';
import { CarrierStartError } from './carrier-start-error.ts';
import { Slots } from './slots.ts';

export interface RestartBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
  /** A process that stayed up this long was healthy: its next crash restarts after `initialMs`. */
  readonly resetAfterMs: number;
}

export const defaultBackoff: RestartBackoff = { initialMs: 100, maxMs: 5000, resetAfterMs: 30_000 };

export interface SupervisedCarrierOptions {
  /** Everything but the replica's instance ids, which each launch makes anew. */
  readonly config: Omit<CarrierProcessConfig, 'replica'>;
  /** The replica's slot (0 for the first) and its lease. */
  readonly replica: { readonly index: number; readonly leaseMs?: number };
  /** How lines name this process: `att`, or `att/1` among replicas. */
  readonly label: string;
  /** The host to put in URLs (a wildcard bind address is not one a client can dial). */
  readonly urlHost: string;
  /** A line the carrier process printed (its pino JSON on stdout, anything on stderr). */
  readonly onOutput: (line: string) => void;
  /** A line about the process: exits, restarts, kills. */
  readonly onSupervisorLine: (line: string) => void;
  readonly backoff?: RestartBackoff;
  /**
   * Crash points for the first process only: each fires once, so a restart runs without them
   * (were they passed again, a carrier crashing at one would crash on every restart).
   */
  readonly firstStartCrashPoints?: readonly CrashPoint[];
  /**
   * Fault rules for the first process only: a restart keeps the rules it stored, which
   * `/_sim/faults` may have changed since.
   */
  readonly firstStartFaultRules?: readonly FaultRule[];
  /** Where the carrier process's code comes from; default: the bundle this process builds. */
  readonly bundle?: { file(): Promise<string> };
}

type Report = CarrierProcessMessage | { readonly type: 'exited'; readonly exit: string };

// Starting a carrier process is mostly CPU (loading its modules): eight at once on two cores
// take several times as long each as one alone, and on a machine busy with other work could
// outlast the time a start may take. First starts take turns, one per core, among every
// supervisor of this process.
const startTurns = new Slots(availableParallelism());

const RECENT_LINES = 20;

/**
 * One carrier in its own child process: started once, restarted with backoff whenever it
 * exits on its own (a crash point, a kill, a bug), stopped with SIGTERM (SIGKILL if it hangs).
 */
export class SupervisedCarrier {
  readonly carrier: CarrierId;
  readonly replica: number;
  readonly label: string;
  readonly #options: SupervisedCarrierOptions;
  readonly #backoff: RestartBackoff;
  readonly #bundle: { file(): Promise<string> };
  #state: 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' = 'idle';
  #child: ChildProcess | undefined;
  #port: number;
  #launchedAt = 0;
  #restartDelayMs: number;
  #restartTimer: NodeJS.Timeout | undefined;
  #launches = 0;
  #instanceId: string | undefined;
  /** The carrier process bundle, known from the first start on. */
  #entry = '';
  readonly #recent: string[] = [];

  constructor(options: SupervisedCarrierOptions) {
    this.#options = options;
    this.carrier = options.config.carrier;
    this.replica = options.replica.index;
    this.label = options.label;
    this.#port = options.config.port;
    this.#backoff = options.backoff ?? defaultBackoff;
    this.#bundle = options.bundle ?? carrierProcessBundle;
    this.#restartDelayMs = this.#backoff.initialMs;
  }

  /** After start, the real port even if 0 was asked for; restarts keep it. */
  get url(): string {
    return `http://${this.#options.urlHost}:${this.#port}`;
  }

  /** The current process id, or undefined between a crash and its restart. */
  get pid(): number | undefined {
    return this.#child && isAlive(this.#child) ? this.#child.pid : undefined;
  }

  /**
   * First start: resolves once the process listens and answers `GET /healthz`. It waits its
   * turn among the first starts of this process (`startTurns`); `timeoutMs` runs from then.
   */
  async start(timeoutMs: number): Promise<void> {
    if (this.#state !== 'idle') throw new Error(`${this.label} was already started`);
    this.#state = 'starting';
    try {
      this.#entry = await this.#bundle.file();
    } catch (error) {
      this.#state = 'stopped';
      throw new CarrierStartError(
        this.carrier,
        'carrier_start_failed',
        `${this.label} could not build its code: ${(error as Error).message}`,
      );
    }
    await startTurns.run(async () => {
      if (this.#state !== 'starting')
        throw new Error(`${this.label} was stopped before it started`);
      const deadline = Date.now() + timeoutMs;
      const child = this.#launch();
      try {
        const report = await withDeadline(nextReport(child), deadline);
        if (report?.type !== 'listening') throw this.#startError(report, timeoutMs);
        await this.#waitHealthy(child, deadline, timeoutMs);
      } catch (error) {
        this.#state = 'stopped';
        await terminate(child, 'SIGKILL', 0);
        throw error;
      }
    });
    if (this.#state === 'starting') this.#state = 'running';
  }

  /** Stops for good: no restart from here on. */
  async stop(killAfterMs: number): Promise<void> {
    this.#state = 'stopping';
    clearTimeout(this.#restartTimer);
    const child = this.#child;
    if (child && isAlive(child) && !(await terminate(child, 'SIGTERM', killAfterMs))) {
      this.#options.onSupervisorLine(
        `${this.label} did not stop within ${killAfterMs} ms of SIGTERM; killed it`,
      );
    }
    this.#state = 'stopped';
  }

  #launch(): ChildProcess {
    const child = spawn(
      process.execPath,
      [...carrierNodeFlags(this.#options.config.store, process.env.NODE_OPTIONS), this.#entry],
      {
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        // Own process group: a terminal's Ctrl-C reaches only the supervisor, which stops the
        // children itself; otherwise a child could exit before the supervisor knows it is stopping.
        detached: process.platform !== 'win32',
      },
    );
    endOf.set(child, processEnd(child));
    this.#child = child;
    this.#launchedAt = Date.now();
    forwardLines(child.stdout, (line) => this.#output(line));
    forwardLines(child.stderr, (line) => this.#output(line));
    child.on('message', (message) => {
      if (isCarrierProcessMessage(message) && message.type === 'listening') {
        this.#port = message.port;
      }
    });
    child.on('error', (error) => this.#options.onSupervisorLine(`${this.label}: ${error.message}`));
    void ended(child).then((exit) => this.#onExit(child, exit));
    const first = this.#launches++ === 0;
    const crashPoints = first ? this.#options.firstStartCrashPoints : undefined;
    const faultRules = first ? this.#options.firstStartFaultRules : undefined;
    // A new id per launch: the process before it is dead (its exit was seen), and the new one
    // tells the other replicas so at once, instead of letting them wait out its lease.
    const replaces = this.#instanceId;
    this.#instanceId = `${this.carrier}-${this.replica}-${randomBytes(4).toString('hex')}`;
    const { leaseMs } = this.#options.replica;
    const start: StartMessage = {
      type: 'start',
      config: {
        ...this.#options.config,
        replica: {
          index: this.replica,
          id: this.#instanceId,
          ...(replaces !== undefined ? { replaces } : {}),
          ...(leaseMs !== undefined ? { leaseMs } : {}),
        },
        port: this.#port,
        ...(crashPoints !== undefined && crashPoints.length > 0 ? { crashPoints } : {}),
        ...(faultRules !== undefined ? { faultRules } : {}),
      },
    };
    // A child that dies before reading this is reported through 'exit'.
    child.send(start, () => undefined);
    return child;
  }

  #onExit(child: ChildProcess, exit: string): void {
    if (child !== this.#child || this.#state !== 'running') return;
    if (Date.now() - this.#launchedAt >= this.#backoff.resetAfterMs) {
      this.#restartDelayMs = this.#backoff.initialMs;
    }
    this.#scheduleRestart(`exited (${exit})`);
  }

  #scheduleRestart(why: string): void {
    const delayMs = this.#restartDelayMs;
    this.#restartDelayMs = Math.min(delayMs * 2, this.#backoff.maxMs);
    this.#options.onSupervisorLine(`${this.label} ${why}; restarting in ${delayMs} ms`);
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      if (this.#state === 'running') void this.#restart();
    }, delayMs);
  }

  async #restart(): Promise<void> {
    // Built again only if its file is gone (a cleaned cache).
    try {
      this.#entry = await this.#bundle.file();
    } catch (error) {
      if (this.#state === 'running') {
        this.#scheduleRestart(`could not rebuild its code: ${(error as Error).message}`);
      }
      return;
    }
    if (this.#state !== 'running') return;
    const child = this.#launch();
    void nextReport(child).then((report) => {
      if (report.type === 'listening') {
        this.#options.onSupervisorLine(`${this.label} is back on ${this.url}`);
      } else if (report.type === 'failed') {
        this.#options.onSupervisorLine(`${this.label} failed to restart: ${report.message}`);
      }
    });
  }

  async #waitHealthy(child: ChildProcess, deadline: number, timeoutMs: number): Promise<void> {
    for (;;) {
      if (!isAlive(child)) {
        throw this.#startError(
          { type: 'exited', exit: describeExit(child.exitCode, child.signalCode) },
          timeoutMs,
        );
      }
      if (await answersHealthz(this.url, this.carrier)) return;
      if (Date.now() >= deadline) {
        throw new CarrierStartError(
          this.carrier,
          'carrier_start_failed',
          `${this.label} listens on ${this.url} but did not answer GET /healthz within ${timeoutMs} ms${this.#recentOutput()}`,
        );
      }
      await sleep(50);
    }
  }

  #startError(report: Report | undefined, timeoutMs: number): CarrierStartError {
    const { carrier } = this;
    if (report?.type === 'failed' && report.reason === 'port_in_use') {
      const { flag, env } = portSetting(carrier);
      return new CarrierStartError(
        carrier,
        'port_in_use',
        `${this.label} cannot listen on ${this.#options.config.host}:${this.#port}: the port is in use (another esimlab, or another program); choose another with ${flag} or ${env}, or 0 for any free port`,
      );
    }
    const what =
      report === undefined
        ? `did not start listening within ${timeoutMs} ms`
        : report.type === 'failed'
          ? `failed to start: ${report.message}`
          : `exited during start-up (${report.type === 'exited' ? report.exit : 'unknown'})`;
    return new CarrierStartError(
      carrier,
      'carrier_start_failed',
      `${this.label} ${what}${this.#recentOutput()}`,
    );
  }

  #output(line: string): void {
    this.#recent.push(line);
    if (this.#recent.length > RECENT_LINES) this.#recent.shift();
    this.#options.onOutput(line);
  }

  #recentOutput(): string {
    if (this.#recent.length === 0) return '; it printed nothing';
    return `; its last output:\n${this.#recent.map((line) => `  ${line}`).join('\n')}`;
  }
}

const endOf = new WeakMap<ChildProcess, Promise<string>>();

/** How the process exited, once it has and what it printed has been forwarded. */
const ended = (child: ChildProcess): Promise<string> => endOf.get(child) ?? Promise.resolve('');

async function processEnd(child: ChildProcess): Promise<string> {
  const streamClosed = (stream: Readable | null) =>
    stream && !stream.closed
      ? new Promise<void>((resolve) => stream.once('close', resolve))
      : Promise.resolve();
  const stdout = streamClosed(child.stdout);
  const stderr = streamClosed(child.stderr);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('exit', (...exit) => resolve(exit)),
  );
  // Not 'close': a grandchild that inherited stderr would hold it open after the exit. Wait
  // for stdout, and give stderr a moment for a last crash line.
  await Promise.all([stdout, Promise.race([stderr, sleep(100)])]);
  return describeExit(code, signal);
}

function isAlive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `code ${code}`;
}

/** The first thing a fresh process says: listening, failed, or nothing before it exits. */
function nextReport(child: ChildProcess): Promise<Report> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if (!isCarrierProcessMessage(message)) return;
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    void ended(child).then((exit) => resolve({ type: 'exited', exit }));
  });
}

/** Sends `signal` and waits for the exit; SIGKILL after `killAfterMs`. Returns whether it exited in time. */
async function terminate(
  child: ChildProcess,
  signal: NodeJS.Signals,
  killAfterMs: number,
): Promise<boolean> {
  const exited = ended(child);
  if (!isAlive(child)) {
    await exited;
    return true;
  }
  child.kill(signal);
  const inTime = exited.then(() => true);
  if (
    signal !== 'SIGKILL' &&
    (await withDeadline(inTime, Date.now() + killAfterMs)) === undefined
  ) {
    child.kill('SIGKILL');
    await exited;
    return false;
  }
  await exited;
  return true;
}

async function answersHealthz(url: string, carrier: CarrierId): Promise<boolean> {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
    const body = (await res.json()) as { status?: unknown; carrier?: unknown };
    return res.ok && body.status === 'ok' && body.carrier === carrier;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function forwardLines(stream: Readable | null, onLine: (line: string) => void): void {
  if (!stream) return;
  createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', onLine);
}
