import type { Location } from '../contract/coverage.ts';
import type { CrashPoint } from './crash-points.ts';

/** Which requests (or webhook deliveries) a rule applies to; every given part must match. */
export interface FaultMatch {
  /** e.g. `POST`. */
  readonly method?: string;
  /** A path glob: `*` is one segment, `**` any number, e.g. `/v1/esims/*\/topups`. */
  readonly path?: string;
  /** A header that must be present, with this exact value if one is given. */
  readonly header?: { readonly name: string; readonly value?: string };
}

type NoParams = Readonly<Record<string, never>>;

type DeviceTarget =
  | { readonly eid: string }
  | { readonly region: { readonly center: Location; readonly radiusKm: number } };

/** What a rule does, by kind, with the parameters of that kind. */
export type FaultBehaviour =
  | {
      readonly kind: 'latency';
      readonly params:
        | { readonly ms: number }
        | { readonly min: number; readonly max: number }
        | { readonly median: number; readonly sigma: number; readonly cap: number };
    }
  | {
      readonly kind: 'error';
      /** 429 and 503 always carry `Retry-After` (default 1 s). */
      readonly params: {
        readonly status: 500 | 502 | 503 | 504 | 429;
        readonly retryAfter?: number;
      };
    }
  | {
      readonly kind: 'timeout' | 'reset-before' | 'reset-after-commit' | 'webhook-drop';
      readonly params?: NoParams;
    }
  | { readonly kind: 'truncated'; readonly params: { readonly bytes: number } }
  | { readonly kind: 'slow-body'; readonly params: { readonly durationMs: number } }
  | { readonly kind: 'crash'; readonly params: { readonly point: CrashPoint } }
  | { readonly kind: 'webhook-duplicate'; readonly params: { readonly copies?: number } }
  | { readonly kind: 'webhook-delay'; readonly params: { readonly ms: number } }
  | { readonly kind: 'webhook-reorder'; readonly params: { readonly windowMs?: number } }
  | {
      readonly kind: 'coverage-gap';
      readonly params: DeviceTarget & { readonly durationMs: number };
    }
  | { readonly kind: 'weak-signal'; readonly params: DeviceTarget & { readonly extraMs: number } };

export type FaultKind = FaultBehaviour['kind'];

/** A fault rule as sent to `/_sim/faults`; without an id the carrier names it (f1, f2, …). */
export type FaultRuleInput = FaultBehaviour & {
  readonly id?: string;
  readonly match?: FaultMatch;
  /** Rolled per matching request; default 1. */
  readonly probability?: number;
  /** Caps how many times the rule fires. */
  readonly times?: number;
  /** Skips the first N matches. */
  readonly after?: number;
};

export interface FaultRuleCounters {
  /** Requests (or deliveries) the rule matched. */
  readonly matched: number;
  /** Times it fired. */
  readonly hits: number;
}

/** A rule as the carrier stores it, with its counters. */
export type FaultRuleStatus = FaultRuleInput & {
  readonly id: string;
  readonly probability: number;
  readonly counters: FaultRuleCounters;
};

/** `GET /_sim/faults`: the rules in order and the seed of their rolls. */
export interface FaultPlan {
  readonly seed: number;
  readonly rules: readonly FaultRuleStatus[];
}

export type FaultPresetName =
  | 'flaky-mobile'
  | 'carrier-outage'
  | 'remote-area'
  | 'payment-gateway-slow';
