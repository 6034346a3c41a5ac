import type { FaultPlan, FaultRule } from '@esimlab/faults';
import type { RequestHandler } from 'express';
import type { CarrierContext } from '../app/carrier-context.ts';
import { type SettingsRecord, type StoredFaults, settings } from '../persistence/collections.ts';

type SharedStateContext = Pick<
  CarrierContext,
  'store' | 'clock' | 'faults' | 'scheduler' | 'crashPoints' | 'profile'
>;

/**
 * What a replica keeps in memory of the carrier's shared settings: the test clock's offset
 * and the fault rules, which every request reads and which would cost a database read each
 * time. Other replicas change them (`POST /_sim/clock/advance`, `/_sim/faults`, a reset), so
 * before each request a replica re-reads the settings record and applies it when its
 * revision moved. Crash points stay per process: they are armed in, and kill, one process.
 */
export class SharedState {
  readonly #context: SharedStateContext;
  #revision = -1;
  #resets: number | undefined;
  #faultsGeneration: number | undefined;
  #running: Promise<void> | undefined;
  #queued: Promise<void> | undefined;

  constructor(context: SharedStateContext) {
    this.#context = context;
  }

  /**
   * How many resets of the carrier this process has seen (undefined before its first look at
   * the settings): what is remembered from the store, such as a tenant's API key, is good
   * while this stays the same, since only a reset deletes a tenant.
   */
  get resets(): number | undefined {
    return this.#resets;
  }

  /**
   * Resolves once a read of the settings that began after this call has been applied, so a
   * request sees every change committed before it arrived. Concurrent callers share reads:
   * at most one runs and one waits, however many requests arrive meanwhile.
   */
  refresh(): Promise<void> {
    if (this.#queued) return this.#queued;
    const running = this.#running;
    if (running === undefined) return this.#read();
    // The running read may have begun before this call: wait for the next one.
    const queued = running
      .catch(() => undefined)
      .then(() => {
        this.#queued = undefined;
        return this.#read();
      });
    this.#queued = queued;
    return queued;
  }

  /**
   * Applies a settings record this replica read or wrote, after its transaction committed.
   * Revisions only grow, so an older record (a read that raced a newer write) is ignored.
   */
  apply(record: SettingsRecord): void {
    const revision = record.revision ?? 0;
    if (revision <= this.#revision) return;
    this.#revision = revision;
    const { clock, scheduler, crashPoints } = this.#context;
    if (clock.offsetMs !== record.clockOffsetMs) clock.restore(record.clockOffsetMs);
    const resets = record.resets ?? 0;
    if (this.#resets !== undefined && resets !== this.#resets) {
      // Another replica reset the carrier: the work this one had scheduled (async completions,
      // webhook wakeups) belongs to state that no longer exists, and a crash point armed for
      // the previous run would kill the next one.
      scheduler.cancelAll();
      crashPoints.disarmAll();
    }
    this.#resets = resets;
    this.#applyFaults(record.faults);
  }

  #read(): Promise<void> {
    const read = this.#context.store
      .transaction((tx) => tx.get(settings, 'carrier'))
      .then((record) => {
        if (record) this.apply(record);
      })
      .finally(() => {
        if (this.#running === read) this.#running = undefined;
      });
    this.#running = read;
    return read;
  }

  #applyFaults(stored: StoredFaults | undefined): void {
    const plan = this.#context.faults;
    const seed = stored?.seed ?? plan.seed;
    const rules = stored?.rules ?? [];
    const generation = stored?.generation ?? 0;
    if (generation !== this.#faultsGeneration || seed !== plan.seed) {
      this.#faultsGeneration = generation;
      plan.reseed(seed);
      plan.replace(rules);
      return;
    }
    syncRules(plan, rules);
  }
}

/**
 * Brings the plan's rules to `rules` by removals and appends, so rules in both lists keep
 * their counters (as `PATCH` and `DELETE /_sim/faults/{id}` promise); anything else replaces.
 */
export function syncRules(plan: FaultPlan, rules: readonly FaultRule[]): void {
  const wanted = new Map(rules.map((rule) => [rule.id, JSON.stringify(rule)]));
  for (const rule of plan.rules()) {
    if (wanted.get(rule.id) !== JSON.stringify(rule)) plan.remove(rule.id);
  }
  const present = new Set(plan.rules().map((rule) => rule.id));
  for (const rule of rules) if (!present.has(rule.id)) plan.add(rule);
  const order = (list: readonly FaultRule[]) => list.map((rule) => rule.id).join('\n');
  if (order(plan.rules()) !== order(rules)) plan.replace(rules);
}

/**
 * Refreshes the shared state before a request is faulted or handled. `/healthz` and
 * `/metrics` skip it: a load balancer's probes should not cost a database read.
 */
export function refreshSharedState(context: Pick<CarrierContext, 'sharedState'>): RequestHandler {
  return (req, _res, next) => {
    if (req.path === '/healthz' || req.path === '/metrics') {
      next();
      return;
    }
    context.sharedState.refresh().then(() => next(), next);
  };
}
