import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname);
/** The folders k6 imports (see flow/load-runtime.ts); driver/ is Node's. */
const neutral = ['flow', 'scenarios', 'summary', 'thresholds'];

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name));
}

describe('the modules k6 runs', () => {
  it('import only each other, never a package, a Node module or the Node driver', async () => {
    const offending: string[] = [];
    for (const folder of neutral) {
      for (const file of await sources(join(root, folder))) {
        const text = await readFile(file, 'utf8');
        for (const [, specifier = ''] of text.matchAll(
          /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'([^']+)'/g,
        )) {
          const target = resolve(file, '..', specifier);
          const inside = neutral.some((n) => target.startsWith(join(root, n)));
          if (!specifier.startsWith('.') || !inside)
            offending.push(`${relative(root, file)} → ${specifier}`);
        }
      }
    }
    expect(offending).toEqual([]);
  });
});
