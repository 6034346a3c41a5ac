import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
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

  it('names frames of a bundle by the source files and names in its inline source map', async () => {
    dir = await mkdtemp(join(tmpdir(), 'profile-summary-'));
    await mkdir(join(dir, 'apps/carrier/cache'), { recursive: true });
    const bundle = join(dir, 'apps/carrier/cache/bundle.mjs');
    // Generated line 0 is routes.ts, line 1 is sqlite-store.ts, where the bundler renamed
    // `find` to `find2` (another module has a `find`) and mapped the name back.
    const map = {
      version: 3,
      sources: [
        '../src/features/topups/routes.ts',
        '../../../packages/store/src/sqlite/sqlite-store.ts',
      ],
      names: ['find'],
      mappings: 'AAAA;ACAAA',
    };
    const inline = Buffer.from(JSON.stringify(map)).toString('base64');
    await writeFile(
      bundle,
      `function handle() { find2(); }\nfunction find2() {}\n//# sourceMappingURL=data:application/json;base64,${inline}\n`,
    );
    const url = pathToFileURL(bundle).href;
    const at = (id: number, functionName: string, lineNumber: number, children: number[] = []) => ({
      ...frame(id, functionName, url, children),
      callFrame: { functionName, url, scriptId: '1', lineNumber, columnNumber: 0 },
    });
    const nodes = [frame(1, '(root)', '', [2]), at(2, 'handle', 0, [3]), at(3, 'find2', 1)];
    const file = join(dir, 'CPU.1.cpuprofile');
    await writeFile(file, JSON.stringify({ nodes, samples: [3, 3, 2], startTime: 0, endTime: 1 }));

    const summary = await summarizeCpuProfile(file);

    expect(summary.inclusive).toEqual([
      { frame: 'handle (carrier/features/topups/routes.ts)', share: 1 },
      { frame: 'find (store/sqlite/sqlite-store.ts)', share: 2 / 3 },
    ]);
  });
});
