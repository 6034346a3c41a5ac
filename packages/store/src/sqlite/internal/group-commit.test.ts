import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.ts';
import { PendingSequences } from './pending-sequences.ts';

let db: Database.Database;
afterEach(() => db?.close());

function groupCommit() {
  db = new Database(':memory:');
  db.exec('CREATE TABLE t (v INTEGER)');
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  const commits = new GroupCommit(db, 64, new PendingSequences(db), () => {});
  // The store's gate: one transaction at a time, the next once the previous has run.
  let gate = Promise.resolve();
  const write = (v: number) => {
    const ran = gate.then(() => commits.run(async () => insert.run(v)));
    gate = ran.then(() => undefined);
    return ran.then(({ settled }) => settled);
  };
  const rows = () => db.prepare('SELECT v FROM t ORDER BY v').pluck().all() as number[];
  return { commits, write, rows };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit.hold', () => {
  it('resolves at once when no write transaction is open, and holds the next back until release', async () => {
    const { commits, write, rows } = groupCommit();
    await commits.hold();
    const held = write(1);
    for (let i = 0; i < 5; i++) await tick();
    expect(db.inTransaction).toBe(false);
    expect(rows()).toEqual([]);

    commits.release();
    await held;
    expect(rows()).toEqual([1]);
  });

  it('waits for the open write transaction to commit before it resolves', async () => {
    const { commits, write, rows } = groupCommit();
    const first = write(1);
    // Let the first transaction run: its batch is open until the next turn's commit.
    await Promise.resolve();
    await Promise.resolve();
    expect(db.inTransaction).toBe(true);

    let holding = false;
    const hold = commits.hold().then(() => {
      holding = true;
      // Nothing open and nothing begun: the database has no writer.
      expect(db.inTransaction).toBe(false);
    });
    await first;
    await hold;
    expect(holding).toBe(true);
    expect(rows()).toEqual([1]);

    const second = write(2);
    for (let i = 0; i < 5; i++) await tick();
    expect(rows()).toEqual([1]);
    commits.release();
    await second;
    expect(rows()).toEqual([1, 2]);
  });

  it('lets a release with no hold pass', async () => {
    const { commits, write, rows } = groupCommit();
    commits.release();
    await write(7);
    expect(rows()).toEqual([7]);
  });
});
