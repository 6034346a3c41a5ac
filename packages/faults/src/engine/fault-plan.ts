import { type RandomSource, seededRandom } from '@esimlab/domain';
import { faultTarget, type HttpFaultKind } from '../rules/fault-kind.ts';
import type { FaultRule } from '../rules/fault-rule.ts';
import { matchesGlob } from '../rules/path-glob.ts';
import { type FaultRequest, normalPath, requestMatches } from './internal/request-matches.ts';
import { sampleLatencyMs } from './internal/sample-latency.ts';

export type { FaultRequest } from './internal/request-matches.ts';

/** What a fault rule applies to: HTTP requests, webhook deliveries, or devices. */
export type FaultTarget = ReturnType<typeof faultTarget>;

/** A rule that applies to HTTP requests. */
export type HttpFaultRule = Extract<FaultRule, { kind: HttpFaultKind }>;

/** An HTTP rule that decides the request's fate (every kind but `latency`). */
export type TerminalFaultRule = Exclude<HttpFaultRule, { kind: 'latency' }>;

/** How often a rule matched a request, and how often it fired (its probability roll won). */
export interface FaultRuleCounters {
  readonly matched: number;
  readonly hits: number;
}

/** A rule as listed: the rule and its counters. */
export type FaultRuleStatus = FaultRule & { readonly counters: FaultRuleCounters };

/** What happens to one request: a delay first, then the terminal fault, if any. */
export interface FaultDecision {
  /** The sum of every `latency` rule that fired. */
  readonly latencyMs: number;
  /** The first terminal rule that fired; the request goes through normally without one. */
  readonly terminal?: TerminalFaultRule;
  /** Ids of the rules that fired, in list order. */
  readonly ruleIds: readonly string[];
}

/** The control plane, health and metrics stay reachable whatever the rules say. */
export const defaultExcludedPaths: readonly string[] = ['/_sim/**', '/healthz', '/metrics'];

export interface FaultPlanOptions {
  /** Any integer; it is used as an unsigned 32-bit seed. */
  readonly seed: number;
  /** Validated rules (see `parseFaultRules`). */
  readonly rules?: readonly FaultRule[];
  /** Path globs `decide` never faults; default `defaultExcludedPaths`. */
  readonly excludedPaths?: readonly string[];
}

const noFault: FaultDecision = { latencyMs: 0, ruleIds: [] };

/**
 * The ordered rule list of one carrier (or proxy), with each rule's counters and one seeded
 * random source. Every probability roll and latency sample comes from that source in request
 * order, so the same seed, rules and request sequence produce the same faults.
 *
 * Replacing or clearing the list restarts the random source from the seed and zeroes the
 * counters: the plan's behaviour is then a function of (seed, rules) alone.
 */
export class FaultPlan {
  readonly #excluded: readonly string[];
  #seed: number;
  #random: RandomSource;
  #rules: FaultRule[] = [];
  readonly #counters = new Map<string, { matched: number; hits: number }>();

  constructor(options: FaultPlanOptions) {
    this.#excluded = (options.excludedPaths ?? defaultExcludedPaths).map((g) => g.toLowerCase());
    this.#seed = options.seed >>> 0;
    this.#random = seededRandom(this.#seed);
    this.replace(options.rules ?? []);
  }

  get seed(): number {
    return this.#seed;
  }

  /** Starts the random source over from `seed`; rules and counters are kept. */
  reseed(seed: number): void {
    this.#seed = seed >>> 0;
    this.#random = seededRandom(this.#seed);
  }

  /** The whole list at once: counters start at zero and the random source at the seed. */
  replace(rules: readonly FaultRule[]): void {
    rejectDuplicateIds(rules);
    this.#rules = [...rules];
    this.#counters.clear();
    for (const rule of rules) this.#counters.set(rule.id, { matched: 0, hits: 0 });
    this.#random = seededRandom(this.#seed);
  }

  /** Appends one rule; the other rules keep their counters. */
  add(rule: FaultRule): void {
    rejectDuplicateIds([...this.#rules, rule]);
    this.#rules.push(rule);
    this.#counters.set(rule.id, { matched: 0, hits: 0 });
  }

  /** Removes the rule with this id; returns whether there was one. */
  remove(id: string): boolean {
    const before = this.#rules.length;
    this.#rules = this.#rules.filter((rule) => rule.id !== id);
    this.#counters.delete(id);
    return this.#rules.length < before;
  }

  clear(): void {
    this.replace([]);
  }

  /** The rules in order, each with its counters. */
  list(): FaultRuleStatus[] {
    return this.#rules.map((rule) => ({ ...rule, counters: { ...this.#countersOf(rule) } }));
  }

  /** The rules without their counters, in order: what to persist. */
  rules(): readonly FaultRule[] {
    return [...this.#rules];
  }

  /** The rules of one target in order; webhook and device faults are read through this. */
  rulesFor(target: FaultTarget): FaultRule[] {
    return this.#rules.filter((rule) => faultTarget(rule.kind) === target);
  }

  /** Whether `path` is one `decide` never faults. */
  isExcluded(path: string): boolean {
    const normal = normalPath(path);
    return this.#excluded.some((glob) => matchesGlob(glob, normal));
  }

  /**
   * Counts one match of `rule` (which the caller found to match its subject) and says whether
   * it fires: never within its first `after` matches, never past `times` hits, otherwise with
   * its probability. Exactly one random draw is made whenever the rule is eligible, whatever
   * the outcome, so later draws do not depend on which rules fired.
   */
  roll(rule: FaultRule | string): boolean {
    const id = typeof rule === 'string' ? rule : rule.id;
    const current = this.#rules.find((r) => r.id === id);
    if (!current) return false;
    const counters = this.#countersOf(current);
    counters.matched++;
    if (counters.matched <= (current.after ?? 0)) return false;
    if (current.times !== undefined && counters.hits >= current.times) return false;
    const fires = this.#random.next() < current.probability;
    if (fires) counters.hits++;
    return fires;
  }

  /**
   * One draw in [0, 1) from the plan's random source, in sequence with the rolls: for the
   * randomness of a fault that fired (the order a `webhook-reorder` window lets deliveries out).
   */
  draw(): number {
    return this.#random.next();
  }

  /**
   * Walks the HTTP rules in order for one request: a rule that does not match or whose roll
   * fails falls through; `latency` rules that fire add up; the first terminal rule that fires
   * ends the walk. Excluded paths are never faulted and touch no counter.
   */
  decide(request: FaultRequest): FaultDecision {
    // The common case, no rule armed, costs one length check: this runs on every request.
    if (this.#rules.length === 0 || this.isExcluded(request.path)) return noFault;
    let latencyMs = 0;
    const ruleIds: string[] = [];
    for (const rule of this.#rules) {
      if (faultTarget(rule.kind) !== 'http' || !requestMatches(rule.match, request)) continue;
      if (!this.roll(rule)) continue;
      ruleIds.push(rule.id);
      if (rule.kind === 'latency') {
        latencyMs += sampleLatencyMs(rule.params, this.#random);
        continue;
      }
      return { latencyMs, terminal: rule as TerminalFaultRule, ruleIds };
    }
    return ruleIds.length === 0 ? noFault : { latencyMs, ruleIds };
  }

  #countersOf(rule: FaultRule): { matched: number; hits: number } {
    let counters = this.#counters.get(rule.id);
    if (!counters) {
      counters = { matched: 0, hits: 0 };
      this.#counters.set(rule.id, counters);
    }
    return counters;
  }
}

// Ids come unique from parseFaultRules; a duplicate here is a caller's bug.
function rejectDuplicateIds(rules: readonly FaultRule[]): void {
  const seen = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.id)) throw new Error(`two fault rules share the id ${rule.id}`);
    seen.add(rule.id);
  }
}
