import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
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
});
