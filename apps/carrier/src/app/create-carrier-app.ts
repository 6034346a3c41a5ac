import { randomBytes } from 'node:crypto';
import { type CarrierId, carrierProfiles, type RandomSource, seededRandom } from '@esimlab/domain';
import { FaultPlan, type FaultRule } from '@esimlab/faults';
import type { Store } from '@esimlab/store';
import express, { type Express } from 'express';
import pino, { type Logger } from 'pino';
import { runWallTimeDueWork } from '../features/clock/advance-clock.ts';
import { carrierFaultMiddleware } from '../features/faults/carrier-fault-middleware.ts';
import { restoreFaults } from '../features/faults/persisted-faults.ts';
import { readSettings } from '../features/settings/carrier-settings.ts';
import { ensureDevTenant } from '../features/tenants/tenant-keys.ts';
import {
  createInProcessDispatch,
  type InProcessRequest,
  type InProcessResponse,
} from '../http/in-process-dispatch.ts';
import { createMetrics } from '../http/metrics.ts';
import type { AnyRoute } from '../http/route.ts';
import {
  mountRoutes,
  problemHandler,
  requestId,
  serveCarrier,
  unknownPath,
} from '../http/router.ts';
import { withAfterCommit } from '../persistence/after-commit.ts';
import { startRecoverySweep } from '../replication/interrupted-work.ts';
import { type ReplicaOptions, replicaOf } from '../replication/replica.ts';
import { leaveRegistry, writeHeartbeat } from '../replication/replica-registry.ts';
import { refreshSharedState, SharedState } from '../replication/shared-state.ts';
import { systemWallClock, TestClock } from '../runtime/clock.ts';
import { type CrashHook, exitProcess } from '../runtime/crash.ts';
import { type CrashPoint, CrashPointSwitch } from '../runtime/crash-points.ts';
import { settledBy } from '../runtime/deadline.ts';
import { sortableIds } from '../runtime/ids.ts';
import { type Repeating, repeatEvery } from '../runtime/repeat-every.ts';
import { RequestsInFlight } from '../runtime/requests-in-flight.ts';
import { type Scheduler, timerScheduler } from '../runtime/scheduler.ts';
import type { CarrierContext } from './carrier-context.ts';
import { carrierRoutes } from './routes.ts';
import { runStartupTasks } from './startup-tasks.ts';

export interface CarrierAppOptions {
  readonly carrier: CarrierId;
  /** An open store; the app never closes it (its owner does). */
  readonly store: Store;
  /** Wall time source under the test clock; default `Date.now`. */
  readonly wallClock?: () => number;
  /** Seed for ids and generated data; default a random seed. */
  readonly seed?: number;
  /** Source of secrets (API keys, QR tokens); default the platform CSPRNG. */
  readonly secrets?: CarrierContext['secrets'];
  readonly scheduler?: Scheduler;
  /** What "exit the process" means; default a real `process.exit`. */
  readonly crash?: CrashHook;
  /** Default: a silent logger. */
  readonly logger?: Logger;
  readonly adminToken?: string;
  /** Crash points armed from the start (the `--crash-point` flag). */
  readonly crashPoints?: readonly CrashPoint[];
  /** Seed of the fault rules' rolls (`--fault-seed`); default the stored one, else random. */
  readonly faultSeed?: number;
  /** Fault rules replacing the stored ones at start (`--faults`); default the stored ones. */
  readonly faultRules?: readonly FaultRule[];
  /** Mounts the fault middleware (default true); off only to measure what it costs. */
  readonly faultInjection?: boolean;
  /**
   * Runs due work (expiries, renewals, notices) this often as wall time passes; default
   * never, so in-process tests and simulations move time only through clock advances.
   */
  readonly dueWorkEveryMs?: number;
  /**
   * This process as one replica of the carrier, for stores several processes share
   * (PostgreSQL): its id, slot and lease. There it writes heartbeats, re-reads the shared
   * settings before each request, and takes over the work of replicas presumed dead.
   */
  readonly replica?: ReplicaOptions;
}

export interface CarrierApp {
  /** The express app: mount it on a server, or drive it in-process; it needs no socket. */
  readonly app: Express;
  /**
   * The same routes served in process without express (the simulator's network): what the app
   * answers, minus the fault middleware, request logs and metrics.
   */
  readonly dispatch: (request: InProcessRequest) => Promise<InProcessResponse>;
  readonly context: CarrierContext;
  readonly routes: readonly AnyRoute[];
  /**
   * Cancels background work; the store stays open. With `waitMs`, first lets the requests in
   * flight (their clients may have hung up) and then the background tasks already running
   * finish, for at most that long in all; a stopping process passes what is left of its grace.
   */
  close(waitMs?: number): Promise<void>;
}

const cryptoSecrets: CarrierContext['secrets'] = {
  token: (bytes) => randomBytes(bytes).toString('base64url'),
};

/** Builds one carrier's app from its catalog profile and injected dependencies. */
export async function createCarrierApp(options: CarrierAppOptions): Promise<CarrierApp> {
  const profile = carrierProfiles[options.carrier];
  const logger = options.logger ?? pino({ level: 'silent' });
  const random: RandomSource = seededRandom(options.seed ?? randomBytes(4).readUInt32LE(0));
  const clock = new TestClock(options.wallClock ?? systemWallClock);
  const replica = replicaOf(profile.id, options.store, options.replica);
  const store = withAfterCommit(options.store);
  const scheduler =
    options.scheduler ??
    timerScheduler((error) => logger.error({ err: error }, 'background task failed'));
  const crashPoints = new CrashPointSwitch();
  const faults = new FaultPlan({ seed: options.faultSeed ?? randomBytes(4).readUInt32LE(0) });
  const context: CarrierContext = {
    profile,
    store,
    clock,
    random,
    ids: sortableIds(clock, random),
    secrets: options.secrets ?? cryptoSecrets,
    scheduler,
    crash: options.crash ?? exitProcess,
    crashPoints,
    faults,
    logger,
    metrics: createMetrics(profile.id),
    adminToken: options.adminToken,
    replica,
    sharedState: new SharedState({ store, clock, faults, scheduler, crashPoints, profile }),
    requests: new RequestsInFlight(),
  };

  // Alive before it recovers anything: the others must not take over what it is about to claim.
  await writeHeartbeat(context);
  const stored = await store.transaction(async (tx) => {
    const current = await readSettings(tx, context);
    await ensureDevTenant(tx, clock.wallNow() + current.clockOffsetMs);
    return current;
  });
  context.sharedState.apply(stored);
  await restoreFaults(context, {
    ...(options.faultRules !== undefined ? { rules: options.faultRules } : {}),
    ...(options.faultSeed !== undefined ? { seed: options.faultSeed } : {}),
  });
  // Armed after recovery, so that a point armed at start-up fires on new work only.
  await runStartupTasks(context);
  for (const point of options.crashPoints ?? []) context.crashPoints.arm(point);

  const refreshPerRequest = options.replica?.refreshPerRequest ?? replica.shared;
  const inProcess = createInProcessDispatch(carrierRoutes, context);
  // Like the express app, a replica first catches up with what the others changed.
  const dispatch = refreshPerRequest
    ? async (request: InProcessRequest): Promise<InProcessResponse> => {
        await context.sharedState.refresh();
        return inProcess(request);
      }
    : inProcess;

  // Built on first use: the simulator makes a carrier per run and talks to it in process only.
  let app: Express | undefined;
  const expressApp = (): Express => {
    if (app) return app;
    app = express();
    app.disable('x-powered-by');
    app.set('etag', false);
    app.use(requestId);
    app.use(observeRequests(context));
    // Before the faults: a rule another replica armed applies to this request already.
    if (refreshPerRequest) app.use(refreshSharedState(context));
    if (options.faultInjection !== false) app.use(carrierFaultMiddleware(context));
    serveCarrier(app, context);
    app.use(mountRoutes(carrierRoutes));
    app.use(unknownPath);
    app.use(problemHandler(context));
    return app;
  };

  const dueWork =
    options.dueWorkEveryMs === undefined ? undefined : everyTick(context, options.dueWorkEveryMs);
  const heartbeat = replica.shared ? heartbeats(context) : undefined;
  const sweep = replica.shared ? startRecoverySweep(context) : undefined;

  return {
    get app() {
      return expressApp();
    },
    dispatch,
    context,
    routes: carrierRoutes,
    async close(waitMs = 0) {
      const deadline = Date.now() + waitMs;
      const requestsDone = waitMs <= 0 || (await settledBy(context.requests.idle(), deadline));
      if (!requestsDone) {
        logger.warn(
          { requests: context.requests.running, waitMs },
          'requests still running at the end of the drain grace; recovery finishes their payments (another replica, or this carrier at its next start)',
        );
      }
      // A beat in progress is not waited for.
      void heartbeat?.stop();
      const stopped = Promise.all([dueWork?.stop(), sweep?.stop()]);
      context.scheduler.cancelAll();
      // Without a wait, the timers' runs in progress only; with one, scheduled tasks too.
      const backgroundDone =
        waitMs <= 0
          ? await stopped.then(() => true)
          : await settledBy(Promise.all([stopped, context.scheduler.idle()]), deadline);
      if (!requestsDone || !backgroundDone) {
        // Work of this replica still runs: the others take it over once its lease runs out, as
        // after a crash, rather than at once.
        return;
      }
      // Nothing is in flight any more: the other replicas need not wait out this one's lease.
      await leaveRegistry(context).catch((error: unknown) =>
        logger.warn({ err: error }, 'could not leave the replica registry'),
      );
    },
  };
}

/** Writes this replica's heartbeat on a timer of its own, so nothing slow can delay it. */
function heartbeats(context: CarrierContext): Repeating {
  return repeatEvery(
    context.replica.heartbeatEveryMs,
    () => writeHeartbeat(context),
    (error) => context.logger.error({ err: error }, 'heartbeat failed'),
  );
}

/** Runs wall-time due work on a timer, skipping a tick while the previous run is still going. */
function everyTick(context: CarrierContext, everyMs: number): Repeating {
  return repeatEvery(
    everyMs,
    () => runWallTimeDueWork(context),
    (error) => context.logger.error({ err: error }, 'wall-time due work failed'),
  );
}

/** One structured log line and one metrics sample per request. */
function observeRequests(context: CarrierContext): express.RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = typeof res.locals.route === 'string' ? res.locals.route : 'unmatched';
      context.metrics.requests.inc({ method: req.method, route, status: String(res.statusCode) });
      context.metrics.requestSeconds.observe({ method: req.method, route }, seconds);
      context.logger.info(
        {
          requestId: res.locals.requestId,
          method: req.method,
          path: req.path,
          route,
          status: res.statusCode,
          ms: Math.round(seconds * 1000),
        },
        'request',
      );
    });
    next();
  };
}
