import { describe, expect, it } from 'vitest';
import { parseSnapshot, sqliteTimeBetween } from './sqlite-time.ts';

describe('SQLite time of a carrier process', () => {
  it('reads a whole snapshot and refuses a missing or half-written one', () => {
    const whole = { snapshot: 2, statements: 10, statementMs: 1.5, commits: 3, commitMs: 0.75 };
    expect(parseSnapshot(JSON.stringify(whole))).toEqual(whole);
    expect(parseSnapshot('')).toBeUndefined();
    expect(parseSnapshot('{"snapshot": 2, "statements": 10')).toBeUndefined();
    expect(parseSnapshot(JSON.stringify({ ...whole, commitMs: '0.75' }))).toBeUndefined();
  });

  it('takes the difference across a window', () => {
    const before = { statements: 100, statementMs: 20, commits: 10, commitMs: 4 };
    const after = { statements: 460, statementMs: 92, commits: 40, commitMs: 13 };
    expect(sqliteTimeBetween(before, after)).toEqual({
      statements: 360,
      statementMs: 72,
      commits: 30,
      commitMs: 9,
    });
  });
});
