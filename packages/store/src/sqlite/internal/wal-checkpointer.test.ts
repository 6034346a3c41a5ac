import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { WalCheckpointer } from './wal-checkpointer.ts';

const root = mkdtempSync(join(tmpdir(), 'esimlab-checkpointer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('WAL checkpointer', () => {
  it('closes after its worker has died (here: the database could not be opened)', async () => {
    const checkpointer = new WalCheckpointer(join(root, 'missing', 'dir', 'x.sqlite'), {
      intervalMs: 0,
      busyTimeoutMs: 1000,
    });
    checkpointer.committed();
    checkpointer.committed();
    // Time for the worker to start, fail to open the file and exit.
    await sleep(1000);
    // Asking again after the failure is harmless: the committing connection checkpoints alone.
    checkpointer.committed();
    const closed = await Promise.race([
      checkpointer.close().then(() => 'closed'),
      sleep(5000).then(() => 'still waiting'),
    ]);
    expect(closed).toBe('closed');
  });

  it('stops waiting for the interval once its last checkpoint found the WAL at hurryAtFrames', async () => {
    const intervalMs = 200;
    const checkpointsOver = async (name: string, hurryAtFrames: number | undefined) => {
      const file = join(root, `${name}.sqlite`);
      const db = new Database(file);
      db.pragma('journal_mode = WAL');
      // Only the worker checkpoints here.
      db.pragma('wal_autocheckpoint = 0');
      db.exec('CREATE TABLE t (n INTEGER)');
      const insert = db.prepare('INSERT INTO t (n) VALUES (?)');
      const checkpointer = new WalCheckpointer(file, {
        intervalMs,
        busyTimeoutMs: 1000,
        ...(hurryAtFrames === undefined ? {} : { hurryAtFrames }),
      });
      const started = performance.now();
      // 60 commits about 20 ms apart: six intervals, or more on a busy machine.
      for (let n = 0; n < 60; n++) {
        insert.run(n);
        checkpointer.committed();
        await sleep(20);
      }
      const intervals = (performance.now() - started) / intervalMs;
      await checkpointer.close();
      db.close();
      return { checkpoints: checkpointer.completed, intervals };
    };

    const paced = await checkpointsOver('paced', undefined);
    const hurried = await checkpointsOver('hurried', 1);

    // Paced, one checkpoint per interval at most (the first commit only starts the clock).
    expect(paced.checkpoints).toBeGreaterThan(0);
    expect(paced.checkpoints).toBeLessThanOrEqual(Math.ceil(paced.intervals));
    // Hurried, once the first found frames in the WAL, a commit asks for another whenever
    // none runs: many more than one per interval.
    expect(hurried.checkpoints).toBeGreaterThan(2 * Math.ceil(hurried.intervals));
  });
});
