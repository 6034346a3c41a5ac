import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CarrierId, PlanId, TopupIntent } from '@esimlab/domain';
import type { z } from 'zod';
import { IntentLogError } from './intent-log-error.ts';
import { type IntentRecord, intentRecordSchema } from './intent-record.ts';

export interface IntentLogOptions {
  /**
   * A JSON Lines file to append every record to, one line each, flushed to disk before
   * `record` returns: the log of a runner that crashes keeps every intent it recorded.
   * Created with its directory when missing; lines already in it are kept, not loaded.
   */
  readonly file?: string;
}

/**
 * The append-only log of the top-ups a scenario or client attempted, in the order they
 * ended: what the checker joins with each carrier's ledger and gateway.
 */
export class IntentLog {
  readonly #records: IntentRecord[] = [];
  readonly #byId = new Map<string, IntentRecord>();
  readonly #file: string | undefined;
  #fd: number | undefined;
  #closed = false;

  constructor(options: IntentLogOptions = {}) {
    this.#file = options.file;
    if (options.file === undefined) return;
    try {
      mkdirSync(dirname(options.file), { recursive: true });
      this.#fd = openSync(options.file, 'a');
    } catch (error) {
      throw new IntentLogError(
        'intent_log_unwritable',
        `cannot open the intent log ${options.file} for appending: ${messageOf(error)}; pick a writable path`,
        { cause: error },
      );
    }
  }

  /** Reads a log written through `{ file }`; the result is in memory only. */
  static async readFile(file: string): Promise<IntentLog> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new IntentLogError(
        'intent_log_unreadable',
        `cannot read the intent log ${file}: ${messageOf(error)}`,
        { cause: error },
      );
    }
    const log = new IntentLog();
    const lines = text.split('\n');
    for (const [index, line] of lines.entries()) {
      if (line.trim() === '') continue;
      const where = `${file}:${index + 1}`;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        // A runner killed in the middle of a write leaves a torn last line with no newline.
        if (index === lines.length - 1) break;
        throw new IntentLogError(
          'intent_log_malformed',
          `${where} is not JSON (${messageOf(error)}); every line must be one intent record`,
          { cause: error },
        );
      }
      const parsed = intentRecordSchema.safeParse(value);
      if (!parsed.success) {
        throw new IntentLogError(
          'intent_log_malformed',
          `${where} is not an intent record: ${describeIssues(parsed.error)}`,
        );
      }
      if (log.#byId.has(parsed.data.intentId)) {
        throw new IntentLogError(
          'intent_log_malformed',
          `${where} repeats intent ${parsed.data.intentId}; an intent is recorded once, when it ends`,
        );
      }
      // Parsed from JSON, which has no undefined: optional fields are absent.
      log.#append(parsed.data as IntentRecord);
    }
    return log;
  }

  /**
   * Records an intent once it has ended; with a file, the line is on disk before this
   * returns. Returns the stored (frozen) record.
   */
  record(intent: IntentRecord): IntentRecord {
    if (this.#closed) {
      throw new IntentLogError(
        'intent_log_closed',
        `intent ${intent.intentId} was recorded after the log was closed; record every intent before close()`,
      );
    }
    const parsed = intentRecordSchema.safeParse(intent);
    if (!parsed.success) {
      throw new IntentLogError(
        'intent_invalid',
        `intent ${String(intent.intentId)} is not a valid record: ${describeIssues(parsed.error)}`,
      );
    }
    if (this.#byId.has(intent.intentId)) {
      throw new IntentLogError(
        'intent_duplicate',
        `intent ${intent.intentId} is already in the log; give every attempted top-up its own id`,
      );
    }
    const record = withoutUndefined(parsed.data) as IntentRecord;
    if (this.#fd !== undefined) this.#writeLine(record);
    return this.#append(record);
  }

  /** Every record, in the order recorded. */
  all(): readonly IntentRecord[] {
    return [...this.#records];
  }

  get(intentId: string): IntentRecord | undefined {
    return this.#byId.get(intentId);
  }

  byCarrier(carrier: CarrierId): IntentRecord[] {
    return this.#records.filter((r) => r.carrier === carrier);
  }

  /** One carrier's intents in the shape the domain audit (and `POST /_sim/audit`) takes. */
  toTopupIntents(carrier: CarrierId): TopupIntent[] {
    return toTopupIntents(this.byCarrier(carrier));
  }

  /** Closes the file; recording afterwards is an error. Safe to call twice. */
  close(): void {
    this.#closed = true;
    if (this.#fd === undefined) return;
    const fd = this.#fd;
    this.#fd = undefined;
    closeSync(fd);
  }

  #append(record: IntentRecord): IntentRecord {
    const frozen = Object.freeze({
      ...record,
      attempts: Object.freeze(record.attempts.map((a) => Object.freeze({ ...a }))),
    });
    this.#records.push(frozen);
    this.#byId.set(frozen.intentId, frozen);
    return frozen;
  }

  #writeLine(record: IntentRecord): void {
    const fd = this.#fd as number;
    try {
      writeSync(fd, `${JSON.stringify(record)}\n`);
      fsyncSync(fd);
    } catch (error) {
      throw new IntentLogError(
        'intent_log_unwritable',
        `cannot append intent ${record.intentId} to ${this.#file}: ${messageOf(error)}`,
        { cause: error },
      );
    }
  }
}

/** Intent records as the domain's `TopupIntent`s (the carrier field is dropped). */
export function toTopupIntents(records: readonly IntentRecord[]): TopupIntent[] {
  return records.map((r) => ({
    intentId: r.intentId,
    iccid: r.iccid,
    // The plan the client asked for; the audit matches it, never prices it.
    planId: r.planId as PlanId,
    ...(r.clientReference === undefined ? {} : { clientReference: r.clientReference }),
    ...(r.idempotencyKey === undefined ? {} : { idempotencyKey: r.idempotencyKey }),
    outcome:
      r.outcome === 'ok' && r.topupId !== undefined
        ? { status: 'ok', topupId: r.topupId }
        : { status: r.outcome },
  }));
}

/** Drops fields set to undefined, so an optional field is either present or absent. */
const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

const describeIssues = (error: z.ZodError): string =>
  error.issues
    .map(
      (issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(record)'}: ${issue.message}`,
    )
    .join('; ');

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
