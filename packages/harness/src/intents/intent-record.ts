import { type CarrierId, carrierIds, type IntentStatus } from '@esimlab/domain';
import { z } from 'zod';

/** One HTTP request a client made for an intent: the purchase, a lookup, a status poll. */
export interface AttemptSummary {
  /** When it was sent, on the same scale as the intent's `startedAtMs`. */
  readonly atMs: number;
  readonly durationMs: number;
  /** What was sent, e.g. `POST /v1/esims/8901…/topups Idempotency-Key: k1`. */
  readonly request: string;
  /** What came back, e.g. `201 succeeded`, `402 card_declined`, `connection reset`, `timeout after 2000 ms`. */
  readonly result: string;
}

/**
 * One top-up a scenario or client attempted, however many requests it took, and what it
 * concluded (Jepsen's ok / fail / info): `ok` it saw the credit, `failed` it was told nothing
 * was charged, `unknown` it gave up without knowing.
 */
export interface IntentRecord {
  readonly intentId: string;
  readonly carrier: CarrierId;
  readonly iccid: string;
  readonly planId: string;
  /** The retry strategy that drove it: `idempotent`, `reference`, `async` or `mutant:<name>`. */
  readonly strategy: string;
  readonly idempotencyKey?: string;
  readonly clientReference?: string;
  readonly outcome: IntentStatus;
  /** The carrier's top-up id, when a response named one. */
  readonly topupId?: string;
  /** The problem `code` that made the client conclude `failed`. */
  readonly problemCode?: string;
  readonly attempts: readonly AttemptSummary[];
  readonly startedAtMs: number;
  readonly endedAtMs: number;
}

const millis = z.number().nonnegative();

const attemptSummarySchema = z.strictObject({
  atMs: millis,
  durationMs: z.number().nonnegative(),
  request: z.string().min(1),
  result: z.string().min(1),
});

/** Validates a record as `IntentLog` stores it, in memory and in its JSON Lines file. */
export const intentRecordSchema = z
  .strictObject({
    intentId: z.string().min(1).max(128),
    carrier: z.enum(carrierIds),
    iccid: z.string().min(1),
    planId: z.string().min(1),
    strategy: z.string().min(1),
    idempotencyKey: z.string().min(1).optional(),
    clientReference: z.string().min(1).optional(),
    outcome: z.enum(['ok', 'failed', 'unknown']),
    topupId: z.string().min(1).optional(),
    problemCode: z.string().min(1).optional(),
    attempts: z.array(attemptSummarySchema),
    startedAtMs: millis,
    endedAtMs: millis,
  })
  .refine((r) => r.endedAtMs >= r.startedAtMs, {
    message: 'endedAtMs must not be before startedAtMs',
    path: ['endedAtMs'],
  });
