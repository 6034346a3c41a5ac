import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
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

  it('holds writers back for one last pass once the WAL reaches resetPages, then lets them go', async () => {
    const file = join(root, 'reset.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (v TEXT)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    for (let i = 0; i < 200; i++) insert.run('x'.repeat(1000));
    const calls: string[] = [];
    const checkpointer = new WalCheckpointer(file, {
      intervalMs: 0,
      busyTimeoutMs: 1000,
      resetPages: 10,
      writers: {
        hold: async () => {
          calls.push('hold');
        },
        release: () => {
          calls.push('release');
        },
      },
    });
    try {
      checkpointer.committed();
      checkpointer.committed();
      await vi.waitFor(() => expect(calls).toEqual(['hold', 'release']), { timeout: 20_000 });
      expect(checkpointer.resets).toBe(1);
      // Every frame was copied: the next write transaction starts the WAL over.
      insert.run('y');
      expect(db.pragma('wal_checkpoint(PASSIVE)', { simple: false })).toEqual([
        { busy: 0, log: 1, checkpointed: 1 },
      ]);
    } finally {
      await checkpointer.close();
      db.close();
    }
  }, 30_000);

  it('lets writers go after its time limit, and checkpoints again afterwards', async () => {
    const file = join(root, 'limit.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (v TEXT)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    for (let i = 0; i < 50; i++) insert.run('x'.repeat(1000));
    const calls: string[] = [];
    const checkpointer = new WalCheckpointer(file, {
      intervalMs: 0,
      busyTimeoutMs: 1000,
      resetPages: 10,
      writers: {
        // The open write transaction takes longer to commit than the hold may last.
        hold: async () => {
          calls.push('hold');
          await sleep(1500);
        },
        release: () => {
          calls.push('release');
        },
      },
    });
    try {
      checkpointer.committed();
      checkpointer.committed();
      await vi.waitFor(() => expect(calls).toEqual(['hold', 'release']), { timeout: 20_000 });
      await sleep(1000);
      // Let go by the limit: no last pass ran, nothing was counted.
      expect(checkpointer.resets).toBe(0);
      // Not stuck: the next commit's checkpoint runs, and reaches for the last pass again.
      checkpointer.committed();
      await vi.waitFor(() => expect(calls).toEqual(['hold', 'release', 'hold', 'release']), {
        timeout: 20_000,
      });
    } finally {
      await checkpointer.close();
      db.close();
    }
  }, 60_000);
});
