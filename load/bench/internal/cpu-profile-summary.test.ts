import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { summarizeCpuProfile } from './cpu-profile-summary.ts';

const store = 'file:///work/main/packages/store/src/sqlite/sqlite-store.ts';
const route = 'file:///work/main/apps/carrier/src/features/topups/routes.ts';
const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({
  id,
  callFrame: { functionName, url, scriptId: '1', lineNumber: 0, columnNumber: 0 },
  hitCount: 0,
  children,
});

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('summarizeCpuProfile', () => {
  it('charges samples to the leaf as self time and to our callers as inclusive time', async () => {
    dir = await mkdtemp(join(tmpdir(), 'profile-summary-'));
    const file = join(dir, 'CPU.1.cpuprofile');
    // root → handle (route) → find (store); root → (garbage collector)
    const nodes = [
      frame(1, '(root)', '', [2, 4]),
      frame(2, 'handle', route, [3]),
      frame(3, 'find', store),
      frame(4, '(garbage collector)', ''),
    ];
    const samples = [3, 3, 3, 2, 4];
    await writeFile(file, JSON.stringify({ nodes, samples, startTime: 0, endTime: 1 }));

    const summary = await summarizeCpuProfile(file);

    expect(summary.samples).toBe(5);
    expect(summary.self).toEqual([
      { frame: 'find (store/sqlite/sqlite-store.ts)', share: 0.6 },
      { frame: 'handle (carrier/features/topups/routes.ts)', share: 0.2 },
      { frame: '(garbage collector)', share: 0.2 },
    ]);
    expect(summary.inclusive).toEqual([
      { frame: 'handle (carrier/features/topups/routes.ts)', share: 0.8 },
      { frame: 'find (store/sqlite/sqlite-store.ts)', share: 0.6 },
    ]);
  });

  it("charges the SQLite timing hook's wrapper to its caller", async () => {
    dir = await mkdtemp(join(tmpdir(), 'profile-summary-'));
    const file = join(dir, 'CPU.1.cpuprofile');
    const hook = 'file:///work/main/load/bench/internal/sqlite-time-hook.mjs';
    // root → find (store) → timed (hook)
    const nodes = [
      frame(1, '(root)', '', [2]),
      frame(2, 'find', store, [3]),
      frame(3, 'timed', hook),
    ];
    await writeFile(file, JSON.stringify({ nodes, samples: [3, 3, 2], startTime: 0, endTime: 1 }));

    const summary = await summarizeCpuProfile(file);

    expect(summary.self).toEqual([{ frame: 'find (store/sqlite/sqlite-store.ts)', share: 1 }]);
  });
});
