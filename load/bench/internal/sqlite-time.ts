import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** What a carrier process spent in SQLite, as `sqlite-time-hook.mjs` counts it. */
export interface SqliteTime {
  readonly statements: number;
  readonly statementMs: number;
  readonly commits: number;
  readonly commitMs: number;
  /** The same time by SQL text, COMMIT and savepoints included. */
  readonly bySql: readonly SqlTime[];
}

export interface SqlTime {
  readonly sql: string;
  readonly runs: number;
  readonly ms: number;
}

interface Snapshot extends SqliteTime {
  readonly snapshot: number;
}

/**
 * Asks the process (SIGUSR2) for its counts so far and waits for them: a snapshot newer than
 * the one its file held before. Undefined if the process is gone or does not answer within
 * `timeoutMs`.
 */
export async function sqliteTimeSnapshot(
  dir: string,
  pid: number | undefined,
  timeoutMs = 5000,
): Promise<SqliteTime | undefined> {
  if (pid === undefined) return undefined;
  const file = join(dir, `sqlite-time.${pid}.json`);
  const read = async () => parseSnapshot(await readFile(file, 'utf8').catch(() => ''));
  const previous = (await read())?.snapshot ?? 0;
  try {
    process.kill(pid, 'SIGUSR2');
  } catch {
    return undefined;
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = await read();
    if (found !== undefined && found.snapshot > previous) return found;
    await sleep(20);
  }
  return undefined;
}

/** The hook's file, or undefined while it is missing or half written. */
export function parseSnapshot(text: string): Snapshot | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const fields = ['snapshot', 'statements', 'statementMs', 'commits', 'commitMs'] as const;
  const record = value as Record<string, unknown>;
  if (!fields.every((field) => typeof record[field] === 'number')) return undefined;
  if (!Array.isArray(record.bySql) || !record.bySql.every(isSqlTime)) return undefined;
  return record as unknown as Snapshot;
}

function isSqlTime(value: unknown): value is SqlTime {
  const record = value as Partial<Record<keyof SqlTime, unknown>> | null;
  return (
    typeof record === 'object' &&
    record !== null &&
    typeof record.sql === 'string' &&
    typeof record.runs === 'number' &&
    typeof record.ms === 'number'
  );
}

/** The SQLite time between two snapshots of one process. */
export function sqliteTimeBetween(before: SqliteTime, after: SqliteTime): SqliteTime {
  const earlier = new Map(before.bySql.map((time) => [time.sql, time]));
  return {
    statements: after.statements - before.statements,
    statementMs: after.statementMs - before.statementMs,
    commits: after.commits - before.commits,
    commitMs: after.commitMs - before.commitMs,
    bySql: after.bySql
      .map(({ sql, runs, ms }) => ({
        sql,
        runs: runs - (earlier.get(sql)?.runs ?? 0),
        ms: ms - (earlier.get(sql)?.ms ?? 0),
      }))
      .filter((time) => time.runs > 0),
  };
}

/** The `limit` statements that took the most time, most first. */
export function costliestStatements(time: SqliteTime, limit: number): SqlTime[] {
  return [...time.bySql].sort((a, b) => b.ms - a.ms).slice(0, limit);
}
