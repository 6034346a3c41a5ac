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
    const checkpointsOver = async (name: string, hurryAtFrames: number | undefined) => {
      const file = join(root, `${name}.sqlite`);
      const db = new Database(file);
      db.pragma('journal_mode = WAL');
      // Only the worker checkpoints here.
      db.pragma('wal_autocheckpoint = 0');
      db.exec('CREATE TABLE t (n INTEGER)');
      const insert = db.prepare('INSERT INTO t (n) VALUES (?)');
      const checkpointer = new WalCheckpointer(file, {
        intervalMs: 200,
        busyTimeoutMs: 1000,
        ...(hurryAtFrames === undefined ? {} : { hurryAtFrames }),
      });
      // 60 commits 20 ms apart: 1.2 s, or six intervals.
      for (let n = 0; n < 60; n++) {
        insert.run(n);
        checkpointer.committed();
        await sleep(20);
      }
      await checkpointer.close();
      db.close();
      return checkpointer.completed;
    };

    const paced = await checkpointsOver('paced', undefined);
    const hurried = await checkpointsOver('hurried', 1);

    expect(paced).toBeGreaterThan(0);
    expect(paced).toBeLessThanOrEqual(6);
    // After the first checkpoint found frames in the WAL, every commit asks for another.
    expect(hurried).toBeGreaterThan(20);
  });
});
