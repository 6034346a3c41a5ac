import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carrierProcessBundle } from '../../src/launcher/carrier-process-bundle.ts';

const cacheDir = fileURLToPath(
  new URL('../../node_modules/.cache/esimlab-carrier/', import.meta.url),
);
const stale = join(cacheDir, 'carrier-process-00000000000000aa.mjs');
const recent = join(cacheDir, 'carrier-process-00000000000000bb.mjs');

describe('the carrier process bundle', () => {
  let file: string;
  let code: string;

  beforeAll(async () => {
    await mkdir(cacheDir, { recursive: true });
    await writeFile(stale, '');
    await writeFile(recent, '');
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    await utimes(stale, eightDaysAgo, eightDaysAgo);
    file = await carrierProcessBundle();
    code = await readFile(file, 'utf8');
  });

  afterAll(() => rm(recent, { force: true }));

  it('is named by its content and built once per process', async () => {
    const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
    expect(basename(file)).toBe(`carrier-process-${hash}.mjs`);
    expect(dirname(file)).toBe(cacheDir.replace(/\/$/, ''));
    expect(await carrierProcessBundle()).toBe(file);
  });

  it('drops bundles unused for a week, and keeps recent ones', () => {
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    expect(existsSync(file)).toBe(true);
  });

  it("gives each module its own source file's import.meta.url", () => {
    expect(code).not.toContain('import.meta.url');
    const walCheckpointer = new URL(
      '../../../../packages/store/src/sqlite/internal/wal-checkpointer.ts',
      import.meta.url,
    ).href;
    expect(code).toContain(JSON.stringify(walCheckpointer));
  });

  it('imports third-party packages from the files Node would load, and holds the workspace', () => {
    const specifiers = [...code.matchAll(/^import .*? from "([^"]+)";$/gm)].map((m) => m[1] ?? '');
    const external = specifiers.filter((s) => !s.startsWith('node:'));
    expect(external.length).toBeGreaterThan(3);
    for (const specifier of external) {
      expect(specifier).toMatch(/^file:\/\/.*\/node_modules\//);
      expect(existsSync(fileURLToPath(specifier))).toBe(true);
    }
    expect(specifiers.some((s) => s.includes('@esimlab/'))).toBe(false);
  });

  it('prints stack traces that name the .ts sources', async () => {
    const child = spawn(process.execPath, ['--enable-source-maps', file], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.send({ type: 'not-a-start-message' });
    expect(await exit).toBe(1);
    expect(output).toContain('expected a start message');
    expect(output).toMatch(/src\/launcher\/carrier-process\.ts:\d+:\d+/);
  });
});
