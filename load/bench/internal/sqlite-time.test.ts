import { describe, expect, it } from 'vitest';
import { costliestStatements, parseSnapshot, sqliteTimeBetween } from './sqlite-time.ts';

describe('SQLite time of a carrier process', () => {
  it('reads a whole snapshot and refuses a missing or half-written one', () => {
    const whole = {
      snapshot: 2,
      statements: 10,
      statementMs: 1.5,
      commits: 3,
      commitMs: 0.75,
      bySql: [{ sql: 'COMMIT', runs: 3, ms: 0.75 }],
    };
    expect(parseSnapshot(JSON.stringify(whole))).toEqual(whole);
    expect(parseSnapshot('')).toBeUndefined();
    expect(parseSnapshot('{"snapshot": 2, "statements": 10')).toBeUndefined();
    expect(parseSnapshot(JSON.stringify({ ...whole, commitMs: '0.75' }))).toBeUndefined();
    expect(parseSnapshot(JSON.stringify({ ...whole, bySql: undefined }))).toBeUndefined();
    expect(
      parseSnapshot(JSON.stringify({ ...whole, bySql: [{ sql: 'COMMIT', runs: '3', ms: 1 }] })),
    ).toBeUndefined();
  });

  it('takes the difference across a window, statement by statement', () => {
    const before = {
      statements: 100,
      statementMs: 20,
      commits: 10,
      commitMs: 4,
      bySql: [
        { sql: 'COMMIT', runs: 10, ms: 4 },
        { sql: 'INSERT a', runs: 60, ms: 12 },
        { sql: 'SELECT idle', runs: 40, ms: 8 },
      ],
    };
    const after = {
      statements: 460,
      statementMs: 92,
      commits: 40,
      commitMs: 13,
      bySql: [
        { sql: 'COMMIT', runs: 40, ms: 13 },
        { sql: 'INSERT a', runs: 360, ms: 72 },
        { sql: 'SELECT idle', runs: 40, ms: 8 },
        { sql: 'DELETE new', runs: 60, ms: 20 },
      ],
    };
    const window = sqliteTimeBetween(before, after);
    expect(window).toEqual({
      statements: 360,
      statementMs: 72,
      commits: 30,
      commitMs: 9,
      bySql: [
        { sql: 'COMMIT', runs: 30, ms: 9 },
        { sql: 'INSERT a', runs: 300, ms: 60 },
        { sql: 'DELETE new', runs: 60, ms: 20 },
      ],
    });
    expect(costliestStatements(window, 2).map((time) => time.sql)).toEqual([
      'INSERT a',
      'DELETE new',
    ]);
  });
});
