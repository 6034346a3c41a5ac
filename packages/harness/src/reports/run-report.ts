import type { ApiStyle, CarrierId } from '@esimlab/domain';

/**
 * What a run of scenarios found, as the runner records it and every report renders it. Plain
 * JSON (no dates, maps or classes) so it can be written to `esimlab-report.json` and read back.
 */
export interface RunReport {
  readonly version: 1;
  /** When the run started, ISO 8601. */
  readonly startedAt: string;
  readonly durationMs: number;
  /** The run seed; each scenario derives its own from it unless the file pins one. */
  readonly seed: number;
  readonly target: RunTarget;
  /** How the run was started, e.g. `esimlab run scenarios/ --seed 42`. */
  readonly command: string;
  readonly scenarios: readonly ScenarioResult[];
  readonly summary: RunSummary;
}

/** Carriers the run started itself, or carriers already running somewhere. */
export type RunTarget =
  | { readonly kind: 'local'; readonly workers: number }
  | { readonly kind: 'remote'; readonly urls: Partial<Record<CarrierId, string>> };

export interface RunSummary {
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
}

export type ScenarioStatus = 'passed' | 'failed';

/** One scenario's outcome, with everything needed to understand and rerun a failure. */
export interface ScenarioResult {
  readonly name: string;
  /** The scenario file, as given to the run. */
  readonly file: string;
  readonly carrier: CarrierId;
  readonly apiStyle: ApiStyle;
  readonly seed: number;
  readonly status: ScenarioStatus;
  readonly durationMs: number;
  readonly failure?: ScenarioFailure;
  readonly steps: readonly StepResult[];
  readonly faults: readonly FaultHit[];
  readonly intents: readonly IntentSummary[];
  readonly checker: CheckerVerdict;
  readonly timeline: readonly TimelinePoint[];
  /** A shell command that reruns this scenario alone, with the same seed. */
  readonly replay: string;
}

export interface ScenarioFailure {
  readonly message: string;
  /** The step that failed, when one did (rather than the checker or a timeout). */
  readonly stepIndex?: number;
  /** That step's 1-based line in the file. */
  readonly line?: number;
}

export type StepStatus = 'passed' | 'failed' | 'not-run';

export interface StepResult {
  readonly index: number;
  readonly kind: string;
  readonly line?: number;
  /** One line, e.g. `topup t1 att-boost-5gb (idempotent) → ok after 2 attempts`. */
  readonly summary: string;
  readonly status: StepStatus;
  readonly durationMs: number;
  /** Why it failed, or anything else worth reading (a problem+json body). */
  readonly detail?: string;
}

/** A fault rule that fired during the scenario, and how often. */
export interface FaultHit {
  readonly ruleId: string;
  readonly kind: string;
  readonly hits: number;
  /** The rule's match, as text (e.g. `POST /v1/esims/*\/topups`). */
  readonly match?: string;
}

export type IntentOutcomeStatus = 'ok' | 'failed' | 'unknown';

/** One top-up intent: what the client tried, and what it concluded. */
export interface IntentSummary {
  readonly intentId: string;
  /** The scenario's name for it (`as:`). */
  readonly name: string;
  readonly iccid: string;
  readonly planId: string;
  readonly strategy: string;
  readonly outcome: IntentOutcomeStatus;
  readonly attempts: readonly IntentAttempt[];
  /** How an `unknown` outcome was settled afterwards, if it was. */
  readonly resolution?: string;
}

export interface IntentAttempt {
  /** Since the scenario started. */
  readonly atMs: number;
  readonly durationMs: number;
  /** e.g. `POST /v1/esims/8901…/topups Idempotency-Key: k1`. */
  readonly request: string;
  /** e.g. `201 succeeded`, `connection reset`, `timeout after 2000 ms`. */
  readonly result: string;
}

/** The checker's verdict against what the scenario expected (`clean` or exact violation kinds). */
export interface CheckerVerdict {
  /** Whether the verdict matches the expectation. */
  readonly ok: boolean;
  readonly expected: 'clean' | readonly string[];
  readonly reported: readonly ReportedViolation[];
}

export interface ReportedViolation {
  readonly kind: string;
  readonly message: string;
  readonly intentIds: readonly string[];
}

/** One sample of an eSIM's balance and charges, for the chart in the HTML report. */
export interface TimelinePoint {
  /** Since the scenario started. */
  readonly atMs: number;
  /** The carrier's clock at that moment, ISO 8601 (it jumps when a step advances it). */
  readonly clock: string;
  /** The scenario's name for the eSIM. */
  readonly esim: string;
  readonly dataRemainingBytes: number;
  /** Cumulative captured amount for that eSIM, in cents. */
  readonly capturedMinor: number;
  /** How many charges the gateway holds for that eSIM. */
  readonly charges: number;
}
