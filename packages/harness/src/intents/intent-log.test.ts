import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IntentLog } from './intent-log.ts';
import { IntentLogError } from './intent-log-error.ts';
import type { IntentRecord } from './intent-record.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'esimlab-intents-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const record = (intentId: string, fields: Partial<IntentRecord> = {}): IntentRecord => ({
  intentId,
  carrier: 'att',
  iccid: '8910410000000000017',
  planId: 'att-boost-5gb',
  strategy: 'idempotent',
  idempotencyKey: `key-${intentId}`,
  outcome: 'ok',
  topupId: `tu_${intentId}`,
  attempts: [
    {
      atMs: 5,
      durationMs: 30,
      request: 'POST /v1/esims/8910…/topups',
      result: 'timeout after 2000 ms',
    },
    { atMs: 2040, durationMs: 18, request: 'POST /v1/esims/8910…/topups', result: '201 succeeded' },
  ],
  startedAtMs: 5,
  endedAtMs: 2058,
  ...fields,
});

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    if (error instanceof IntentLogError) return error.code;
    throw error;
  }
  return undefined;
};

describe('IntentLog in memory', () => {
  it('keeps records in order and lists them by carrier', () => {
    const log = new IntentLog();
    log.record(record('a'));
    log.record(record('b', { carrier: 'tmobile', strategy: 'reference' }));
    log.record(record('c'));
    expect(log.all().map((r) => r.intentId)).toEqual(['a', 'b', 'c']);
    expect(log.byCarrier('att').map((r) => r.intentId)).toEqual(['a', 'c']);
    expect(log.byCarrier('verizon')).toEqual([]);
    expect(log.get('b')?.carrier).toBe('tmobile');
    expect(log.get('z')).toBeUndefined();
  });

  it('is append-only: stored records cannot be changed', () => {
    const log = new IntentLog();
    const stored = log.record(record('a'));
    expect(() => {
      (stored as { outcome: string }).outcome = 'failed';
    }).toThrow(TypeError);
    expect(() => {
      (log.all() as IntentRecord[]).pop();
    }).not.toThrow();
    expect(log.all()).toHaveLength(1);
  });

  it('refuses an intent id twice and an invalid record', () => {
    const log = new IntentLog();
    log.record(record('a'));
    expect(codeOf(() => log.record(record('a')))).toBe('intent_duplicate');
    expect(codeOf(() => log.record(record('b', { endedAtMs: 1 })))).toBe('intent_invalid');
    expect(
      codeOf(() => log.record(record('c', { outcome: 'maybe' as IntentRecord['outcome'] }))),
    ).toBe('intent_invalid');
    expect(log.all()).toHaveLength(1);
  });

  it('gives the domain audit its TopupIntent shape', () => {
    const log = new IntentLog();
    log.record(record('ok'));
    log.record(record('lost', { outcome: 'unknown', topupId: 'tu_seen_202' }));
    const { idempotencyKey: _key, ...noKey } = record('ref', {
      clientReference: 'r-1',
      outcome: 'failed',
    });
    log.record(noKey);
    log.record(record('elsewhere', { carrier: 'verizon' }));
    expect(log.toTopupIntents('att')).toEqual([
      {
        intentId: 'ok',
        iccid: '8910410000000000017',
        planId: 'att-boost-5gb',
        idempotencyKey: 'key-ok',
        outcome: { status: 'ok', topupId: 'tu_ok' },
      },
      {
        intentId: 'lost',
        iccid: '8910410000000000017',
        planId: 'att-boost-5gb',
        idempotencyKey: 'key-lost',
        // The domain outcome carries a top-up id only for ok: the audit links the rest by key.
        outcome: { status: 'unknown' },
      },
      {
        intentId: 'ref',
        iccid: '8910410000000000017',
        planId: 'att-boost-5gb',
        clientReference: 'r-1',
        outcome: { status: 'failed' },
      },
    ]);
  });
});

describe('IntentLog with a file', () => {
  it('has each intent on disk as one JSON line as soon as it is recorded', async () => {
    const file = join(dir, 'runs', 'run-1', 'intents.jsonl');
    const log = new IntentLog({ file });
    log.record(record('a'));
    // Read while the writer is still open, as after a crash of the runner.
    expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify(record('a'))}\n`);
    log.record(record('b', { outcome: 'unknown' }));
    const read = await IntentLog.readFile(file);
    expect(read.all()).toEqual([record('a'), record('b', { outcome: 'unknown' })]);
    log.close();
    expect(codeOf(() => log.record(record('c')))).toBe('intent_log_closed');
  });

  it('appends to an existing file', async () => {
    const file = join(dir, 'intents.jsonl');
    const first = new IntentLog({ file });
    first.record(record('a'));
    first.close();
    const second = new IntentLog({ file });
    second.record(record('b'));
    second.close();
    expect((await IntentLog.readFile(file)).all().map((r) => r.intentId)).toEqual(['a', 'b']);
  });

  it('skips a last line torn by a crash in the middle of a write', async () => {
    const file = join(dir, 'intents.jsonl');
    const log = new IntentLog({ file });
    log.record(record('a'));
    log.close();
    appendFileSync(file, JSON.stringify(record('b')).slice(0, 40));
    expect((await IntentLog.readFile(file)).all().map((r) => r.intentId)).toEqual(['a']);
  });

  it('refuses a damaged line elsewhere, naming the file and line', async () => {
    const file = join(dir, 'intents.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify(record('a'))}\n{not json\n${JSON.stringify(record('b'))}\n`,
    );
    await expect(IntentLog.readFile(file)).rejects.toThrow(`${file}:2 is not JSON`);

    writeFileSync(file, `${JSON.stringify({ ...record('a'), carrier: 'sprint' })}\n`);
    await expect(IntentLog.readFile(file)).rejects.toMatchObject({
      code: 'intent_log_malformed',
      message: expect.stringContaining(`${file}:1 is not an intent record: carrier`),
    });

    writeFileSync(file, `${JSON.stringify(record('a'))}\n${JSON.stringify(record('a'))}\n`);
    await expect(IntentLog.readFile(file)).rejects.toThrow('repeats intent a');
  });

  it('says which file it cannot read or write', async () => {
    await expect(IntentLog.readFile(join(dir, 'missing.jsonl'))).rejects.toMatchObject({
      code: 'intent_log_unreadable',
    });
    writeFileSync(join(dir, 'a-file'), '');
    expect(codeOf(() => new IntentLog({ file: join(dir, 'a-file', 'intents.jsonl') }))).toBe(
      'intent_log_unwritable',
    );
  });
});
